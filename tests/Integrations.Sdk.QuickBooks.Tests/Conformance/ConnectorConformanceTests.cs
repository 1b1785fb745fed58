using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit.Abstractions;

namespace Integrations.Sdk.QuickBooks.Tests.Conformance;

/// <summary>
/// Every kind of request the connector sends, against the simulator, checked against Intuit's XSDs both ways. (Every
/// other test of this project built with <see cref="QboHost"/> is checked the same way by its <see cref="ConformanceGuard"/>.)
/// </summary>
public sealed class ConnectorConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryOperation_RequestsAndSimulatorAnswers_ConformToTheXsd()
    {
        await using var simulator = new QuickBooksSimulator(realmId: QboHost.Realm);
        await simulator.StartAsync();
        var mug = simulator.AddItem("MUG", "Mug", 10, 12.5m, incomeAccountId: "79");
        var services = QboHost.Build(simulator, TimeProvider.System, seedRefreshToken: true);
        var guard = services.GetRequiredService<ConformanceGuard>();
        var connector = services.GetRequiredService<QuickBooksConnector>();

        var customer = await connector.FindOrCreateCustomer.ExecuteAsync(
            new QboCustomerDraft { DisplayName = "Pat O'Brien", Email = "pat@example.com", GivenName = "Pat", FamilyName = "O'Brien", CompanyName = "Pat's", Phone = "555-0100" },
            QboHost.Write("shop:customer:1", "customer"));
        var lines = new[] { new QboLineDraft { ItemId = mug.Id, Qty = 2, UnitPrice = 12.5m, Description = "Blue mug", IncomeAccountId = "79", TaxCodeId = "TAX" } };
        await connector.CreateInvoice.ExecuteAsync(
            new QboInvoiceDraft { CustomerId = customer.Id!, DocNumber = "1001", TxnDate = new DateOnly(2026, 11, 27), DueDate = new DateOnly(2026, 12, 27), PrivateNote = "Shop order #1001", CurrencyCode = "USD", Lines = lines },
            QboHost.Write("shop:order:1001"));
        await connector.CreateSalesReceipt.ExecuteAsync(
            new QboSalesReceiptDraft { CustomerId = customer.Id, DocNumber = "R-1", DepositToAccountId = "4", PaymentMethodId = "1", Lines = lines },
            QboHost.Write("shop:order:R-1", "receipt"));
        await connector.AdjustQuantityOnHand.ExecuteAsync(new QboInventoryAdjustment(mug.Id, 5), QboHost.Write("count:1", "adjust"));
        (await connector.FindItemBySkuAsync("MUG")).Should().NotBeNull();
        (await connector.FindInvoicesByDocNumberAsync("1001")).Should().ContainSingle();
        (await connector.QueryAsync<QboCustomer>("Customer").ToListAsync()).Should().ContainSingle();
        await FluentActions.Awaiting(() => connector.CreateInvoice.ExecuteAsync(
                new QboInvoiceDraft { CustomerId = "999", Lines = lines }, QboHost.Write("shop:order:1002")))
            .Should().ThrowAsync<PlatformException>("a refused write comes back as QuickBooks' Fault, also checked");

        var routes = guard.Exchanges.Select(e => $"{e.Method} {e.Path.Replace("/v3/company/" + QboHost.Realm, "/v3/company/{realmId}", StringComparison.Ordinal)} {e.Status}")
            .Distinct().Order().ToList();
        output.WriteLine($"{guard.Exchanges.Count} exchanges: {string.Join("; ", routes)}");
        routes.Should().Contain([
            "GET /v3/company/{realmId}/query 200",
            "POST /v3/company/{realmId}/customer 200",
            "POST /v3/company/{realmId}/invoice 200",
            "POST /v3/company/{realmId}/invoice 400",
            "POST /v3/company/{realmId}/salesreceipt 200",
            "POST /v3/company/{realmId}/item 200",
        ]);
        guard.Violations.Should().BeEmpty();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task Guard_AnAnswerOutsideTheSchema_FailsTheTestWithTheSchemasWords()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath($"/v3/company/{QboHost.Realm}/query").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"QueryResponse":{"Item":[{"Id":"3","Name":"Mug","QuantityOnHand":4}],"startPosition":1,"maxResults":1},"time":"2026-11-28T02:00:00.000-08:00"}"""));
        var time = QboHost.Clock();
        var services = QboHost.Build(time, o =>
        {
            o.RealmId = QboHost.Realm;
            o.ClientId = "client-id";
            o.ClientSecret = "client-secret-value";
            o.BaseAddress = new Uri(server.Url!);
            o.TokenEndpoint = new Uri(server.Url! + "/oauth2/v1/tokens/bearer");
        }, checkResponses: true);
        await services.GetRequiredService<ITokenStore>().SaveAsync("quickbooks", QboHost.Realm, new OAuthToken("a", "r", time.GetUtcNow().AddHours(1)));

        (await services.GetRequiredService<QuickBooksConnector>().FindItemBySkuAsync("MUG")).Should().NotBeNull();

        var disposing = async () => await services.DisposeAsync();
        (await disposing.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain("quickbooks response GET /v3/company/{realmId}/query: at body:/QueryResponse/Item/0/QuantityOnHand")
            .And.Contain("[additionalProperties] 'QuantityOnHand' is not an element or attribute of complexType Item (extends IntuitEntity)");
    }
}
