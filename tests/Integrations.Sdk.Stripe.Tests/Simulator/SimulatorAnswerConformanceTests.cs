using System.Net.Http.Headers;
using System.Text;
using Integrations.Sdk.Testing.Conformance;
using Integrations.Sdk.Testing.Stripe;

namespace Integrations.Sdk.Stripe.Tests.Simulator;

/// <summary>
/// The acceptance point of the conformance checker on the simulator side: the simulator's real answer conforms to
/// Stripe's spec, and the same answer with one field renamed is a violation that fails whoever made the exchange.
/// </summary>
public sealed class SimulatorAnswerConformanceTests
{
    [Fact]
    public async Task AnInvoiceAnswer_WithAFieldRenamed_IsAViolationNamingTheFieldAndTheSpecSchema_AndFailsAnEnforcingRecorder()
    {
        await using var stripe = new StripeSimulator();
        await stripe.StartAsync();
        var invoice = stripe.AddInvoice(stripe.AddCustomer("ada@example.com", "Ada"), 12_50);
        using var http = new HttpClient { BaseAddress = stripe.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stripe.ApiKey);

        using var response = await http.GetAsync($"v1/invoices/{invoice}");
        var body = await response.Content.ReadAsStringAsync();

        // As the simulator answered it: its own middleware checked it, and the spec has nothing to say.
        stripe.ConformanceViolations.Should().BeEmpty();
        ConformanceChecker.Default.Check(Answer(invoice, body), ConformanceSide.Response).Should().BeEmpty();

        // The same answer with amount_due renamed, as a simulator that drifted from Stripe would send it.
        body.Should().Contain("\"amount_due\"");
        var drifted = Answer(invoice, body.Replace("\"amount_due\"", "\"amount_owed\"", StringComparison.Ordinal));

        var violations = ConformanceChecker.Default.Check(drifted, ConformanceSide.Response);

        violations.Should().ContainSingle().Which.ToString().Should()
            .Contain("stripe response GET /v1/invoices/{invoice}")
            .And.Contain("spec3.json#/components/schemas/invoice")
            .And.Contain("[required]")
            .And.Contain("amount_due");

        var recorder = new ConformanceRecorder(ConformanceMode.Enforce) { CountsTowardProcessTotals = false };
        recorder.Check(drifted, ConformanceSide.Response);
        await FluentActions.Awaiting(async () => await recorder.DisposeAsync()).Should().ThrowAsync<ConformanceException>()
            .WithMessage("*amount_due*");
    }

    private static ConformanceExchange Answer(string invoice, string body) =>
        new("stripe", "GET", $"/v1/invoices/{invoice}", "", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), null,
            ReadOnlyMemory<byte>.Empty, 200, "application/json", Encoding.UTF8.GetBytes(body), Injected: false);
}
