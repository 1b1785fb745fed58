using System.Text.Json;
using Integrations.Sdk.Sqlite;
using Integrations.Sdk.State;
using ShopifyToQuickBooks;
using Xunit.Abstractions;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>
/// The main sample's sync runs in a child process that is killed with SIGKILL at random points, again and again,
/// and restarted on the same SQLite state; the simulators live in this process, so they see every write.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 24;
    private readonly string _directory = Directory.CreateTempSubdirectory("integrations-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ShopifyToQuickBooks_KilledAtRandomPointsAndRestarted_LeavesEveryOrderInvoicedExactlyOnce()
    {
        var state = Path.Combine(_directory, "state.db");
        await using var platforms = await OfflinePlatforms.OpenAsync(state, orders: 700, seed: 17, faultRate: 0);
        foreach (var simulator in new Integrations.Sdk.Testing.SimulatorHost[] { platforms.Shopify, platforms.QuickBooks })
        {
            // A little latency keeps several writes in flight at any moment, so kills land mid-request.
            simulator.Faults.Latency = TimeSpan.FromMilliseconds(5);
        }

        var stockBefore = platforms.QuickBooks.Items.ToDictionary(i => i.Sku!, i => i.QtyOnHand);

        // The token is authorized up front, as after the OAuth flow: the kills target the sync's writes, not a refresh.
        await using (var store = new SqliteStateStore(state))
        {
            await ((ITokenStore)store).SaveAsync("quickbooks", platforms.QuickBooks.RealmId, platforms.QuickBooks.IssueToken());
        }

        var endpointsFile = Path.Combine(_directory, "endpoints.json");
        await File.WriteAllTextAsync(endpointsFile, JsonSerializer.Serialize(platforms.Endpoints with { InitialRefreshToken = null }, JsonSerializerOptions.Web));

        var random = new Random(17);
        var kills = 0;
        var finishedEarly = 0;
        for (var start = 0; kills < Kills && start < Kills * 3; start++)
        {
            using var child = ChildProcess.Start("shopify-sync", state, endpointsFile);
            await Eventually.Until(() => child.Lines.Contains("ready") || child.HasExited, TimeSpan.FromSeconds(60), () => "the worker started:\n" + child.Output);

            // A random point: after 5 to 80 more requests reached QuickBooks (reads, customer or invoice writes).
            var target = platforms.QuickBooks.RequestCount + random.Next(5, 81);
            await Eventually.Until(() => platforms.QuickBooks.RequestCount >= target || child.HasExited, TimeSpan.FromSeconds(60), () => "QuickBooks received more requests");
            if (child.HasExited)
            {
                finishedEarly++;
                break;
            }

            child.KillHard();
            kills++;
        }

        output.WriteLine($"kills={kills} finished-before-a-kill={finishedEarly} invoices-after-kills={platforms.QuickBooks.Invoices.Count} of {platforms.PaidOrdersWithKnownSkus}");
        kills.Should().BeGreaterThanOrEqualTo(20, "the shop has enough orders to be killed at least 20 times mid-run");

        // Restarted without kills until a run finds nothing left to do.
        string summary;
        using (var last = ChildProcess.Start("shopify-sync", state, endpointsFile))
        {
            var exit = await last.WaitForExitAsync(TimeSpan.FromMinutes(3));
            summary = last.Lines.LastOrDefault(l => l.StartsWith("summary:", StringComparison.Ordinal)) ?? last.Output;
            output.WriteLine(summary);
            exit.Should().Be(0, last.Output);
        }

        var quickBooks = platforms.QuickBooks;
        quickBooks.DuplicateInvoices.Should().BeEmpty();
        quickBooks.DuplicateCustomers.Should().BeEmpty();
        quickBooks.Invoices.Should().HaveCount(platforms.PaidOrdersWithKnownSkus, "every paid order with known SKUs is invoiced once");
        var expected = platforms.Shopify.Orders
            .Where(o => o.FinancialStatus == "PAID" && o.LineItems.All(l => stockBefore.ContainsKey(l.Sku!)))
            .Select(o => o.Name.TrimStart('#'));
        quickBooks.Invoices.Select(i => i.DocNumber).Should().BeEquivalentTo(expected);

        // Stock went down once per invoiced line: no adjustment twice, none lost.
        var sold = quickBooks.Invoices.SelectMany(i => i.Lines)
            .GroupBy(l => l.ItemId).ToDictionary(g => g.Key, g => g.Sum(l => l.Qty));
        foreach (var item in quickBooks.Items.Where(i => stockBefore.ContainsKey(i.Sku!)))
        {
            item.QtyOnHand.Should().Be(stockBefore[item.Sku!] - sold.GetValueOrDefault(item.Id), $"item {item.Sku} is reduced once per sale");
        }

        // Nothing lost, nothing silently dropped: the only records set aside are the orders with an unknown SKU.
        await using var check = new SqliteStateStore(state);
        var deadLetters = await ((IDeadLetterStore)check).ListAsync(OrdersToInvoices.SyncName, limit: 1000);
        deadLetters.Should().HaveCount(platforms.PaidOrdersWithUnknownSkus);
        deadLetters.Should().OnlyContain(d => d.Kind == DeadLetterKind.Failed && d.Reason.Contains("SKU", StringComparison.Ordinal));
        foreach (var order in expected)
        {
            var id = platforms.Shopify.Orders.Single(o => o.Name.TrimStart('#') == order).LegacyId;
            var memos = await ((IStepMemoStore)check).GetRecordAsync(OrdersToInvoices.SyncName, $"shopify:order:{id}");
            memos.Should().Contain(m => m.Step == StepMemo.RecordStep && m.State == StepState.Completed, $"order {order} is finished");
        }
    }
}
