using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Stripe;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Tests.DependencyInjection;

/// <summary>
/// Wiring mistakes that used to start fine and show only as repeated inbox warnings fail when the host starts (or
/// when the sync is declared), naming the route, the sync and the source; every problem is reported once.
/// </summary>
public sealed class StartupWiringTests
{
    [Fact]
    public async Task Start_WithCorrectWiring_Starts()
    {
        using var host = BuildHost(i => i.AddWebhookRoute<Flagged>("acme", "flags"));

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WithARouteToAnUnknownSync_FailsNamingRouteAndSync()
    {
        using var host = BuildHost(i => i.AddWebhookRoute<Flagged>("acme", "flag", eventTypes: ["customer.flagged"]));

        var error = await StartFailure(host);

        error.Should().BeOfType<InvalidOperationException>();
        Problems(error).Should().ContainSingle().Which.Should().Be(
            "Webhook route 'acme' (customer.flagged) to sync 'flag': no sync is registered with the name 'flag'. Registered: flags.");
    }

    [Fact]
    public async Task Start_WithARouteOfTheWrongRecordType_FailsNamingBothTypes()
    {
        using var host = BuildHost(i => i.AddWebhookRoute<OtherEvent>("acme", "flags"));

        var error = await StartFailure(host);

        Problems(error).Should().ContainSingle().Which.Should().StartWith(
            "Webhook route 'acme' to sync 'flags': the route gives records of type OtherEvent, but sync 'flags' takes records of type Flagged;");
    }

    [Fact]
    public async Task Start_WithARouteOfARecordTypeDerivedFromTheSyncs_Starts()
    {
        using var host = BuildHost(i => i.AddWebhookRoute<UrgentFlagged>("acme", "flags"));

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WithARouteOfAnUnregisteredSource_FailsNamingTheSourceAndTheRegisteredOnes()
    {
        using var host = BuildHost(i => i.AddWebhookRoute<Flagged>("acmee", "flags"));

        var error = await StartFailure(host);

        Problems(error).Should().ContainSingle().Which.Should().StartWith(
            "Webhook route 'acmee' to sync 'flags': no webhook source is registered with the name 'acmee', so no event can reach it. Registered: acme.");
    }

    [Fact]
    public async Task Start_WithSeveralMistakes_ListsEachOnce()
    {
        using var host = BuildHost(i => i
            .AddWebhookRoute<Flagged>("acme", "missing")
            .AddWebhookRoute<Flagged>("acme", "missing")
            .AddWebhookRoute<OtherEvent>("nobody", "flags"));

        var error = await StartFailure(host);

        error.Message.Should().StartWith("The integrations cannot start; 3 problem(s):");
        Problems(error).Should().HaveCount(3).And.OnlyHaveUniqueItems();
        Problems(error).Should().Contain(p => p.Contains("sync 'missing': no sync is registered", StringComparison.Ordinal));
        Problems(error).Should().Contain(p => p.Contains("records of type OtherEvent", StringComparison.Ordinal));
        Problems(error).Should().Contain(p => p.Contains("no webhook source is registered with the name 'nobody'", StringComparison.Ordinal));
    }

    [Fact]
    public void AddSync_ScheduledWithoutASource_FailsNamingTheSync()
    {
        var services = new ServiceCollection();

        var add = () => services.AddIntegrations().AddSync<Flagged>("flags", s => s
            .FromEvents()
            .Key(e => e.Id)
            .Every(TimeSpan.FromMinutes(5))
            .Step("record", WriteSafety.ReadOnly, (e, _, _) => Task.FromResult(e.Id)));

        add.Should().Throw<InvalidOperationException>()
            .WithMessage("Sync 'flags': it has a schedule but no source to read (it takes pushed events, .FromEvents())*.FromIncremental(...)*remove the schedule*");
    }

    [Fact]
    public async Task Start_WithAMissingConnectorOption_NamesItOnceInAnOptionsValidationException()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations().AddStripe(_ => { });
        using var host = builder.Build();

        var error = await StartFailure(host);

        // Before: an AggregateException of two identical OptionsValidationExceptions (the connector's options, and its
        // HTTP options built from them).
        var options = error.Should().BeOfType<OptionsValidationException>().Subject;
        options.OptionsType.Should().Be<StripeOptions>();
        options.Failures.Should().ContainSingle().Which.Should().StartWith("Stripe: ApiKey is required");
        Occurrences(error.Message, "ApiKey is required").Should().Be(1);
    }

    [Fact]
    public async Task Start_WithAMissingOptionAndAWiringMistake_ListsBothOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations()
            .AddStripe(_ => { })
            .AddSync<Flagged>("flags", s => s.FromEvents().Key(e => e.Id).Step("record", WriteSafety.ReadOnly, (e, _, _) => Task.FromResult(e.Id)))
            .AddWebhookRoute<Flagged>("stripe", "flag");
        using var host = builder.Build();

        var error = await StartFailure(host);

        error.Should().BeOfType<InvalidOperationException>().Which.InnerException.Should().BeOfType<OptionsValidationException>();
        Problems(error).Should().HaveCount(2);
        Occurrences(error.Message, "ApiKey is required").Should().Be(1);
        Occurrences(error.Message, "no sync is registered with the name 'flag'").Should().Be(1);
    }

    private static IHost BuildHost(Action<IIntegrationsBuilder> routes)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IWebhookSource, AcmeSource>();
        var integrations = builder.Services.AddIntegrations();
        integrations.AddSync<Flagged>("flags", s => s
            .FromEvents()
            .Key(e => $"acme:event:{e.Id}")
            .Step("record", WriteSafety.ReadOnly, (e, _, _) => Task.FromResult(e.Id)));
        routes(integrations);
        return builder.Build();
    }

    private static async Task<Exception> StartFailure(IHost host)
    {
        try
        {
            await host.StartAsync();
        }
        catch (Exception ex)
        {
            return ex;
        }

        await host.StopAsync();
        throw new InvalidOperationException("The host started although its wiring is wrong.");
    }

    private static List<string> Problems(Exception error) =>
        [.. error.Message.Split(Environment.NewLine).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..])];

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    public record Flagged(string Id);

    public sealed record UrgentFlagged(string Id) : Flagged(Id);

    public sealed record OtherEvent(string Id);

    /// <summary>A webhook source named <c>acme</c>; these tests never receive a request.</summary>
    private sealed class AcmeSource : IWebhookSource
    {
        public string Name => "acme";

        public WebhookVerification Verify(WebhookRequest request) => WebhookVerification.Invalid("not used in these tests");

        public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request) => [];
    }
}
