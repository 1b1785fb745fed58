using System.Net;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing.Xero;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Xero.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Xero.Tests;

/// <summary>The connector against the Xero simulator: the whole bookkeeping path, token rotation, replays and limits.</summary>
public sealed class XeroSimulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = XeroHost.Clock();
    private XeroSimulator _simulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _simulator = new XeroSimulator(_time);
        await _simulator.StartAsync();
        _simulator.AddItem("MUG-1", "Blue mug", quantityOnHand: 10);
        _services = XeroHost.Build(_simulator, _time);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private XeroConnector Connector => _services.GetRequiredService<XeroConnector>();

    [Fact]
    public async Task InvoiceCreditNotePaymentAndAllocation_SettleTheInvoice()
    {
        var contact = await Connector.FindOrCreateContact.ExecuteAsync(new XeroContactDraft("Pat", "pat@example.com"), XeroHost.Write(step: "contact"));
        var again = await Connector.FindOrCreateContact.ExecuteAsync(new XeroContactDraft("Pat", "pat@example.com"), XeroHost.Write(step: "contact"));
        var item = await Connector.FindItemByCodeAsync("MUG-1");
        var invoice = await Connector.CreateInvoice.ExecuteAsync(
            new XeroInvoiceDraft(contact.ContactID, [new XeroLineDraft("Blue mug", 2, 10m, item!.Code, "200"), new XeroLineDraft("Shipping", 1, 5m, AccountCode: "200")], Status: "AUTHORISED"),
            XeroHost.Write());
        var note = await Connector.CreateCreditNote.ExecuteAsync(
            new XeroCreditNoteDraft(contact.ContactID, [new XeroLineDraft("Refund", 1, 5m, AccountCode: "200")], Status: "AUTHORISED"), XeroHost.Write(step: "refund"));
        await Connector.AllocateCreditNote.ExecuteAsync(new XeroAllocationDraft(note.CreditNoteID, invoice.InvoiceID, 5m), XeroHost.Write(step: "allocate"));
        await Connector.CreatePayment.ExecuteAsync(new XeroPaymentDraft(invoice.InvoiceID, "090", 20m), XeroHost.Write(step: "payment"));

        again.ContactID.Should().Be(contact.ContactID, "the second find-or-create finds the first");
        invoice.Total.Should().Be(25m);
        var settled = await Connector.GetInvoiceAsync(invoice.InvoiceID);
        settled!.Status.Should().Be("PAID");
        settled.AmountDue.Should().Be(0m);
        settled.AmountPaid.Should().Be(20m);
        settled.AmountCredited.Should().Be(5m);
        _simulator.Records("Contacts").Should().ContainSingle();
    }

    [Fact]
    public async Task SameIdempotencyKey_ReplaysTheFirstInvoice()
    {
        var contact = await Connector.FindOrCreateContact.ExecuteAsync(new XeroContactDraft("Sam"), XeroHost.Write(step: "contact"));
        var draft = new XeroInvoiceDraft(contact.ContactID, [new XeroLineDraft("Blue mug", 1, 10m)]);

        var first = await Connector.CreateInvoice.ExecuteAsync(draft, XeroHost.Write());
        var second = await Connector.CreateInvoice.ExecuteAsync(draft, XeroHost.Write());

        second.InvoiceID.Should().Be(first.InvoiceID);
        _simulator.Records("Invoices").Should().ContainSingle();
    }

    [Fact]
    public async Task Refresh_RotatesTheTokenSavesItAndSpendsTheOldOne()
    {
        await Connector.FindItemByCodeAsync("MUG-1");
        var first = await _services.GetRequiredService<ITokenStore>().GetAsync("xero", _simulator.TenantId);
        _time.Advance(TimeSpan.FromMinutes(31));
        await Connector.FindItemByCodeAsync("MUG-1");
        var second = await _services.GetRequiredService<ITokenStore>().GetAsync("xero", _simulator.TenantId);

        _simulator.RefreshCount.Should().Be(2);
        second!.RefreshToken.Should().NotBe(first!.RefreshToken);
        _simulator.IsRefreshTokenValid(first.RefreshToken!).Should().BeFalse("a used refresh token is spent");
        _simulator.IsRefreshTokenValid(second.RefreshToken!).Should().BeTrue();
    }

    [Fact]
    public async Task ValidationError_UnknownItemCode_IsNamedInTheError()
    {
        var contact = await Connector.FindOrCreateContact.ExecuteAsync(new XeroContactDraft("Lee"), XeroHost.Write(step: "contact"));

        var act = () => Connector.CreateInvoice.ExecuteAsync(new XeroInvoiceDraft(contact.ContactID, [new XeroLineDraft("Ghost", 1, 1m, "NOPE")]), XeroHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.PlatformMessage.Should().Contain("Item code 'NOPE' is not valid");
    }

    [Fact]
    public async Task DailyLimitSpent_FailsFastAsRetryableLater()
    {
        _simulator.DayLimit = 2;
        await Connector.FindItemByCodeAsync("MUG-1");
        await Connector.FindItemByCodeAsync("MUG-1");
        _time.Advance(TimeSpan.FromSeconds(2)); // X-DayLimit-Remaining 1 after the first call lowered the budget: it refills by the second

        var act = () => Connector.FindItemByCodeAsync("MUG-1");

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("rate_limit_daily");
        error.IsRetryable.Should().BeTrue();
        error.RetryAfter.Should().BeGreaterThan(TimeSpan.FromHours(23));
    }
}
