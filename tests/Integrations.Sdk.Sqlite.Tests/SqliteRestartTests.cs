using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace Integrations.Sdk.Sqlite.Tests;

/// <summary>What a user relies on across a process restart, with state in one SQLite file.</summary>
public sealed class SqliteRestartTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    [Fact]
    public async Task RotatedRefreshToken_SurvivesARestartOfTheStore()
    {
        OAuthPlatform.Serve(_server, "access-2", "refresh-rotated");
        var time = TestHost.Clock();
        await using (var first = TestHost.Build(_server.Url!, time, o => o.Auth = OAuthPlatform.Auth(_server.Url!), i => i.UseSqliteState(_database.Path)))
        {
            await first.GetRequiredService<ITokenStore>().SaveAsync("fake", "acme", new OAuthToken("access-1", "refresh-1", time.GetUtcNow().AddMinutes(-1)));
            await first.GetRequiredService<IFakeApi>().ListItemsAsync("acme");
        }

        SqliteConnection.ClearAllPools();
        time.Advance(TimeSpan.FromHours(2)); // the access token has expired again
        await using var second = TestHost.Build(_server.Url!, time, o => o.Auth = OAuthPlatform.Auth(_server.Url!), i => i.UseSqliteState(_database.Path));

        (await second.GetRequiredService<ITokenStore>().GetAsync("fake", "acme"))!.RefreshToken.Should().Be("refresh-rotated");
        await second.GetRequiredService<IFakeApi>().ListItemsAsync("acme");

        var refreshBodies = _server.LogEntries.Where(e => e.RequestMessage!.Path == "/oauth/token").Select(e => e.RequestMessage!.Body).ToList();
        refreshBodies.Should().HaveCount(2);
        refreshBodies[1].Should().Contain("refresh_token=refresh-rotated", "the second process refreshes with the rotated token, not the spent one");
    }

    [Fact]
    public async Task Rerun_AfterARestart_MakesZeroWrites()
    {
        var orders = SyncFixture.Orders(25);
        int callsAfterFirst;
        FakeLedger ledger;
        await using (var first = new SyncFixture(orders, integrations: i => i.UseSqliteState(_database.Path)))
        {
            ledger = first.Ledger;
            (await first.Runner.RunAsync(SyncFixture.Sync)).Summary.Completed.Should().Be(25);
            callsAfterFirst = ledger.Calls;
        }

        SqliteConnection.ClearAllPools();
        await using var second = new SyncFixture(orders, integrations: i => i.UseSqliteState(_database.Path));
        var rerun = await second.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        callsAfterFirst.Should().BeGreaterThan(0);
        rerun.Summary.Skipped.Should().Be(25);
        second.Ledger.Calls.Should().Be(0, "the new process finds every step in the SQLite step memo");
        (await second.Get<IRunHistoryStore>().ListAsync(SyncFixture.Sync)).Should().HaveCount(2);
    }

    [Fact]
    public async Task DeadLetter_ReplayedAfterARestart_Completes()
    {
        string id;
        await using (var first = new SyncFixture([new Order(9, null, 90, true, 1)], integrations: i => i.UseSqliteState(_database.Path)))
        {
            await first.Runner.RunAsync(SyncFixture.Sync);
            id = (await first.Get<IDeadLetterStore>().ListAsync()).Single().Id;
        }

        SqliteConnection.ClearAllPools();
        await using var second = new SyncFixture([], integrations: i => i.UseSqliteState(_database.Path));
        var payload = (await second.Get<IDeadLetterStore>().GetAsync(id))!.Payload.Replace("\"email\":null", "\"email\":\"late@example.com\"", StringComparison.Ordinal);

        var replay = await second.Runner.ReplayAsync(id, payload);

        replay.Summary.Completed.Should().Be(1);
        second.Ledger.Invoices.Should().Be(1);
        (await second.Get<IDeadLetterStore>().GetAsync(id)).Should().BeNull();
    }
}
