using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests.Books;

/// <summary>
/// The sample's books sync end to end for each store × books pair, on the simulators over loopback HTTP and SQLite
/// state, with 30 % faults on both simulators: every paid order booked once, the books' revenue equal to what the
/// store's data says, the quantities on hand equal to the store's stock, and a second run that creates nothing.
/// </summary>
public sealed class StoreToBooksSampleTests : IDisposable
{
    /// <summary>Bounded: 40 orders (about 35 booked, a few refunds and EUR orders) per pair.</summary>
    public const int Orders = 40;

    /// <summary>A seed whose 40 orders hold EUR orders, refunds, pending and cancelled ones (checked by <see cref="SampleShopTests"/>).</summary>
    public const int Seed = 11;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"));

    public StoreToBooksSampleTests() => Directory.CreateDirectory(_directory);

    private string State => Path.Combine(_directory, "state.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("shopify", "quickbooks")]
    [InlineData("shopify", "xero")]
    [InlineData("woocommerce", "quickbooks")]
    [InlineData("woocommerce", "xero")]
    public async Task ThirtyPercentFaults_BooksEveryOrderOnce_RevenueAndStockMatchTheStore_ARerunCreatesNothing(string store, string books)
    {
        BooksFigures first;
        await using (var platforms = await OfflinePlatforms.OpenAsync(State, store, books, Orders, Seed, faultRate: 0.3))
        {
            var report = await RunAsync(platforms);

            var seed = platforms.Seed!;
            first = platforms.ReadBooks();
            var inventory = platforms.CheckInventory();
            platforms.Store.Faults.InjectedTotal.Should().BeGreaterThan(0);
            platforms.Books.Faults.InjectedTotal.Should().BeGreaterThan(0);
            report.Summary.Status.Should().Be(RunStatus.Succeeded, report.Summary.Error);
            report.Summary.Ambiguous.Should().Be(0);
            report.Summary.DeadLettered.Should().Be(0, string.Join("; ", report.Records.Select(r => $"{r.RecordKey}: {r.Reason}")));
            first.Revenue.Should().Be(SampleShop.ExpectedRevenue(seed.Orders), "the books' revenue is the store's, net of tax, discounts and refunds, in USD");
            first.Invoices.Should().Be(SampleShop.ExpectedInvoices(seed.Orders));
            first.CreditNotes.Should().Be(SampleShop.ExpectedCreditNotes(seed.Orders));
            first.Duplicates.Should().Be(0);
            inventory.Rows.Should().OnlyContain(r => r.Matches, "the books' quantity on hand is the store's stock plus what pending orders hold");
            await platforms.SaveAsync();
        }

        // The second run, as the command line makes it: the simulators loaded from their files, faults again.
        await using (var again = await OfflinePlatforms.OpenAsync(State, store, books, Orders, Seed, faultRate: 0.3))
        {
            var report = await RunAsync(again);

            report.Summary.Completed.Should().Be(0, "a rerun creates nothing new");
            report.Summary.Ambiguous.Should().Be(0);
            again.ReadBooks().Should().Be(first);
            again.CheckInventory().Matching.Should().Be(SampleShop.Catalog.Count);
        }
    }

    private async Task<RunReport> RunAsync(OfflinePlatforms platforms)
    {
        using var host = SampleHost.CreateBuilder(State, platforms).Build();
        await host.StartAsync();
        var report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(platforms.SyncName);
        await host.StopAsync();
        return report;
    }
}
