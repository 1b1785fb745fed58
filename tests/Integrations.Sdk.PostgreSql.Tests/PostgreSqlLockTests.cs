using Integrations.Sdk.State;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.PostgreSql.Tests;

/// <summary>
/// <see cref="PostgreSqlLock"/> across "instances": each lock object has its own connection, as each host process would.
/// </summary>
public sealed class PostgreSqlLockTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly PostgreSqlTestSchema _schema = new();
    private readonly string _name = "sync:orders:" + Guid.NewGuid().ToString("N");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    [SkippableFact]
    public async Task TryAcquire_ANameHeldByAnotherInstance_ReturnsNull_UntilItIsReleased()
    {
        var first = _schema.Lock();
        var second = _schema.Lock();

        var held = await first.TryAcquireAsync(_name);
        held.Should().NotBeNull();
        held!.Name.Should().Be(_name);
        (await second.TryAcquireAsync(_name)).Should().BeNull();
        (await second.TryAcquireAsync(_name + ":other")).Should().NotBeNull("other names are independent");

        await held.DisposeAsync();

        await using var taken = await second.TryAcquireAsync(_name);
        taken.Should().NotBeNull();
        (await first.TryAcquireAsync(_name)).Should().BeNull();
        first.SpansProcesses.Should().BeTrue();
    }

    [SkippableFact]
    public async Task TryAcquire_ANameHeldInTheSameProcess_ReturnsNull_ThoughAdvisoryLocksAreReentrant()
    {
        var locks = _schema.Lock();

        await using var held = await locks.TryAcquireAsync(_name);
        held.Should().NotBeNull();

        (await locks.TryAcquireAsync(_name)).Should().BeNull();
        await held!.DisposeAsync();
        (await _schema.Lock().TryAcquireAsync(_name)).Should().NotBeNull("one release frees the name on the server too");
    }

    [SkippableFact]
    public async Task HolderConnectionKilled_AnotherInstanceGetsTheLock_AndTheHolderIsToldItIsLost()
    {
        var holder = _schema.Lock(lockCheckInterval: TimeSpan.FromMilliseconds(100));
        var other = _schema.Lock();
        var held = await holder.TryAcquireAsync(_name);
        held.Should().NotBeNull();
        held!.Lost.IsCancellationRequested.Should().BeFalse();
        (await other.TryAcquireAsync(_name)).Should().BeNull();

        var pid = holder.BackendProcessId;
        pid.Should().NotBeNull();
        (await PostgreSqlTestServer.ScalarAsync($"SELECT pg_terminate_backend({pid});")).Should().Be(true);

        ILockHandle? taken = null;
        await PostgreSqlTestServer.EventuallyAsync(async () => (taken = await other.TryAcquireAsync(_name)) is not null, "the other instance gets the lock");
        await PostgreSqlTestServer.EventuallyAsync(() => Task.FromResult(held.Lost.IsCancellationRequested), "the holder's Lost token fires");

        await held.DisposeAsync(); // releasing a lost lock is harmless and does not free the new holder's lock
        (await _schema.Lock().TryAcquireAsync(_name)).Should().BeNull("the other instance still holds it");

        await using var again = await holder.TryAcquireAsync(_name + ":after");
        again.Should().NotBeNull("the holder reconnects on next use");
        holder.BackendProcessId.Should().NotBe(pid);
        await taken!.DisposeAsync();
    }

    [SkippableFact]
    public async Task Acquire_WaitsUntilTheHolderReleases()
    {
        var holder = _schema.Lock();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var waiter = _schema.Lock(time);
        var held = await holder.TryAcquireAsync(_name);

        var waiting = waiter.AcquireAsync(_name).AsTask();

        // The waiter retries only when its clock moves, and the lock stays held meanwhile, so it cannot have it.
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(waiting, Task.Delay(20));
            waiting.IsCompleted.Should().BeFalse();
        }

        await held!.DisposeAsync();
        await PostgreSqlTestServer.EventuallyAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
                return Task.FromResult(waiting.IsCompleted);
            },
            "the waiter gets the lock");

        await using var acquired = await waiting;
        acquired.Name.Should().Be(_name);
        (await holder.TryAcquireAsync(_name)).Should().BeNull();
    }

    [SkippableFact]
    public async Task Acquire_Cancelled_ThrowsAndHoldsNothing()
    {
        var holder = _schema.Lock();
        var waiter = _schema.Lock();
        var held = await holder.TryAcquireAsync(_name);
        using var cts = new CancellationTokenSource();

        var waiting = waiter.AcquireAsync(_name, cts.Token).AsTask();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => waiting.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
        await held!.DisposeAsync();
        await using var taken = await waiter.TryAcquireAsync(_name);
        taken.Should().NotBeNull("the cancelled wait left neither the local gate nor a server lock behind");
    }

    [SkippableFact]
    public async Task Acquire_ManyWaitersInTwoInstances_HoldTheNameOneAtATime()
    {
        var instances = new[] { _schema.Lock(), _schema.Lock() };
        var inside = 0;
        var maxInside = 0;
        var entries = 0;

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await using var handle = await instances[i % 2].AcquireAsync(_name).AsTask().WaitAsync(Bound);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Yield();
            Interlocked.Increment(ref entries);
            Interlocked.Decrement(ref inside);
        })));

        entries.Should().Be(10);
        maxInside.Should().Be(1);
    }

    [SkippableFact]
    public async Task Dispose_ReleasesEveryLockOfTheInstance_AndCancelsTheirLostTokens()
    {
        var holder = _schema.Lock();
        var held = await holder.TryAcquireAsync(_name);

        await holder.DisposeAsync();

        held!.Lost.IsCancellationRequested.Should().BeTrue();
        await PostgreSqlTestServer.EventuallyAsync(async () => await _schema.Lock().TryAcquireAsync(_name) is not null, "the name is free");
        await held.DisposeAsync();
        await FluentActions.Awaiting(async () => await holder.TryAcquireAsync(_name)).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task NullName_IsRejected()
    {
        var locks = new PostgreSqlLock("Host=127.0.0.1;Username=nobody");

        await FluentActions.Awaiting(async () => await locks.TryAcquireAsync(null!)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("name");
        await FluentActions.Awaiting(async () => await locks.AcquireAsync(null!)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("name");
        await locks.DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
