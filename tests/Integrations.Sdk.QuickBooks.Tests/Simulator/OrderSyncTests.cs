using System.Globalization;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.QuickBooks.Tests.Simulator;

/// <summary>The connector's operations as steps of a sync, against a simulator that fails on purpose.</summary>
public sealed class OrderSyncTests
{
    public sealed record ShopOrder(string Number, string Name, string Email, int Quantity);

    [Fact]
    public async Task OrdersToInvoices_WithFaultsOnEveryEndpoint_CreateEachCustomerAndInvoiceOnce()
    {
        await using var simulator = new QuickBooksSimulator(realmId: QboHost.Realm, seed: 7);
        await simulator.StartAsync();
        var mug = simulator.AddItem("MUG", "Mug", 100, 12.5m);
        simulator.Faults.RetryAfter = TimeSpan.Zero;
        simulator.RequestsPerSecond = 50; // a faster realm than Intuit's, so the test stays short
        simulator.Faults.SetRandom(0.2, seed: 7, FaultKind.ServerError, FaultKind.TooManyRequests, FaultKind.ConnectionReset, FaultKind.CommitThenDrop);
        await using var services = QboHost.Build(simulator, TimeProvider.System, o => o.RateLimit = new() { PermitsPerWindow = 50, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 10 }, seedRefreshToken: false, integrations: i => i.AddSync<ShopOrder>("orders-to-quickbooks", sync => sync
            .FromEvents()
            .Key(o => "shop:order:" + o.Number)
            .WithConcurrency(4)
            .WithStepRetries(6, TimeSpan.Zero)
            .Step("customer", sp => sp.GetRequiredService<QuickBooksConnector>().FindOrCreateCustomer, (o, _) => new QboCustomerDraft { DisplayName = o.Name, Email = o.Email })
            .Step("invoice", sp => sp.GetRequiredService<QuickBooksConnector>().CreateInvoice, (o, step) => new QboInvoiceDraft
            {
                CustomerId = step.ResultOf<QboCustomer>("customer").Id!,
                DocNumber = o.Number,
                Lines = [new QboLineDraft { ItemId = mug.Id, Qty = o.Quantity, UnitPrice = 12.5m }],
            })));
        var orders = Enumerable.Range(1, 24)
            .Select(i => new ShopOrder((1000 + i).ToString(CultureInfo.InvariantCulture), $"Customer {i % 6}", $"customer{i % 6}@example.com", 1 + (i % 3)))
            .ToList();
        var runner = services.GetRequiredService<ISyncRunner>();

        // Authorized up front, so the random faults hit the API calls this test is about, not the token endpoint.
        await services.GetRequiredService<ITokenStore>().SaveAsync("quickbooks", QboHost.Realm, simulator.IssueToken());

        var report = await runner.ProcessAsync("orders-to-quickbooks", orders);
        simulator.Faults.Clear();
        var rerun = await runner.ProcessAsync("orders-to-quickbooks", orders);

        report.Summary.Completed.Should().Be(24, report.ToString());
        simulator.Faults.InjectedTotal.Should().BePositive();
        simulator.Invoices.Should().HaveCount(24);
        simulator.DuplicateInvoices.Should().BeEmpty();
        simulator.Customers.Should().HaveCount(6);
        simulator.DuplicateCustomers.Should().BeEmpty();
        simulator.Items.Single().QtyOnHand.Should().Be(100 - orders.Sum(o => o.Quantity));
        rerun.Summary.Skipped.Should().Be(24, "every order is finished: the rerun writes nothing");
        simulator.Invoices.Should().HaveCount(24);
    }
}
