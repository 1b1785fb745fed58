using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.AspNetCore.Tests;

public sealed class WebhookEndpointTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<string> _sideEffects = new();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"webhooks-{Guid.NewGuid():N}.db");
    private readonly TaskCompletionSource _slowPlatform = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failuresToInject;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }

    private async Task<WebApplication> StartAsync(bool sqlite = false, Action<Integrations.Sdk.Webhooks.WebhookOptions>? options = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IWebhookSource, AcmeWebhookSource>();
        var integrations = builder.Services.AddIntegrations();
        if (sqlite)
        {
            integrations.UseSqliteState(_database);
        }

        integrations
            .ConfigureWebhooks(o =>
            {
                o.MaxAttempts = 3;
                o.RetryBaseDelay = TimeSpan.FromSeconds(10);
                options?.Invoke(o);
            })
            .AddSync<AcmeEvent>("acme-events", s => s.FromEvents().Key(e => $"acme:event:{e.Id}").WithStepRetries(1, TimeSpan.Zero)
                .Step("record", WriteSafety.Unsafe, async (e, _, ct) =>
                {
                    if (e.Customer == "cus_broken")
                    {
                        throw new ArgumentException("customer cus_broken cannot be flagged");
                    }

                    if (e.Id == "evt_slow")
                    {
                        await _slowPlatform.Task.WaitAsync(ct);
                    }

                    _sideEffects.Enqueue(e.Id);
                    return e.Id;
                }))
            .AddWebhookRoute<AcmeEvent>("acme", "acme-events", eventTypes: ["customer.flagged"]);
        if (!sqlite)
        {
            // The state store fails on demand, as a locked or full disk would: the whole run fails, not one record.
            builder.Services.AddSingleton<IStepMemoStore>(new FlakyMemoStore(() => Interlocked.Decrement(ref _failuresToInject) >= 0));
        }

        var app = builder.Build();
        app.MapIntegrationWebhooks();
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpResponseMessage> PostAsync(WebApplication app, string body, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/acme") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? AcmeWebhookSource.Sign(body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await app.GetTestClient().SendAsync(request);
    }

    private static string Event(string id, string type = "customer.flagged") => $"{{\"id\":\"{id}\",\"type\":\"{type}\",\"customer\":\"cus_{id}\"}}";

    /// <summary>Waits for work on other threads; <paramref name="pump"/> moves the fake clock a little each turn, so timers a worker sets late still fire.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<Task>? pump = null)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!await condition())
        {
            if (pump is not null)
            {
                await pump();
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Yield();
        }
    }

    private static Task UntilDrainedAsync(WebApplication app, int completed) =>
        UntilAsync(async () => (await app.Services.GetRequiredService<IWebhookInbox>().CountAsync()).Completed == completed, $"{completed} message(s) are completed");

    [Fact]
    public async Task SignedEvent_IsStoredAnswered200_ThenProcessedThroughTheSync()
    {
        await using var app = await StartAsync();

        var response = await PostAsync(app, Event("evt_1"));
        await UntilDrainedAsync(app, 1);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _sideEffects.Should().Equal("evt_1");
    }

    [Fact]
    public async Task SlowEvent_DoesNotHoldUpTheEventsBehindIt()
    {
        await using var app = await StartAsync(options: o => o.Concurrency = 2);
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        (await PostAsync(app, Event("evt_slow"))).StatusCode.Should().Be(HttpStatusCode.OK);
        await UntilAsync(async () => (await inbox.CountAsync()).Processing == 1, "the slow event is being processed");

        var fast = Enumerable.Range(1, 5).Select(i => $"evt_fast_{i}").ToList();
        foreach (var id in fast)
        {
            (await PostAsync(app, Event(id))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // The slow one still holds its slot; the other slot works through the rest.
        await UntilDrainedAsync(app, fast.Count);
        _sideEffects.Should().BeEquivalentTo(fast);

        _slowPlatform.SetResult();
        await UntilDrainedAsync(app, fast.Count + 1);
        _sideEffects.Should().Contain("evt_slow");
    }

    [Fact]
    public async Task DuplicateAndShuffledDeliveries_HaveOneEffectEach()
    {
        await using var app = await StartAsync();
        var deliveries = new[] { "evt_a", "evt_b", "evt_a", "evt_c", "evt_b", "evt_a" };

        foreach (var id in deliveries)
        {
            (await PostAsync(app, Event(id))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await UntilDrainedAsync(app, 3);
        _sideEffects.Should().BeEquivalentTo(["evt_a", "evt_b", "evt_c"]);
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task ForgedOrUnsignedRequest_Gets401_AndNothingIsStored(string? secret)
    {
        await using var app = await StartAsync();
        var body = Event("evt_forged");

        var response = await PostAsync(app, body, secret is null ? new Dictionary<string, string>() : AcmeWebhookSource.Sign(body, secret));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("X-Acme-Signature", "the answer names the header at fault");
        (await app.Services.GetRequiredService<IWebhookInbox>().CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 0));
        _sideEffects.Should().BeEmpty();
    }

    [Fact]
    public async Task AlteredBody_Gets401()
    {
        await using var app = await StartAsync();
        var headers = AcmeWebhookSource.Sign(Event("evt_1"));

        (await PostAsync(app, Event("evt_2"), headers)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignedButMalformedBody_IsStoredDeadLettered_WithTheReason()
    {
        await using var app = await StartAsync();

        var response = await PostAsync(app, "{\"type\":\"customer.flagged\"}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.Services.GetRequiredService<IWebhookInbox>().CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 1));
        _sideEffects.Should().BeEmpty();
    }

    [Fact]
    public async Task BodyOverTheLimit_Gets413_AndNothingIsStored()
    {
        await using var app = await StartAsync(options: o => o.MaxBodyBytes = 64);

        var response = await PostAsync(app, Event("evt_" + new string('x', 100)));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await app.Services.GetRequiredService<IWebhookInbox>().CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 0));
    }

    [Fact]
    public async Task Handshakes_AreAnswered_AndStoreNothing()
    {
        await using var app = await StartAsync();

        var asana = await PostAsync(app, "{}", new Dictionary<string, string> { ["X-Hook-Secret"] = "hook-secret-1" });
        var slackBody = "{\"type\":\"url_verification\",\"challenge\":\"3eZbrw1aB\"}";
        var slack = await PostAsync(app, slackBody);

        asana.Headers.GetValues("X-Hook-Secret").Should().Equal("hook-secret-1");
        (await slack.Content.ReadAsStringAsync()).Should().Be("3eZbrw1aB");
        (await app.Services.GetRequiredService<IWebhookInbox>().CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 0));
    }

    [Fact]
    public async Task UnroutedEventType_IsCompletedWithoutProcessing()
    {
        await using var app = await StartAsync();

        await PostAsync(app, Event("evt_other", type: "customer.created"));
        await UntilDrainedAsync(app, 1);

        _sideEffects.Should().BeEmpty();
    }

    [Fact]
    public async Task FailedProcessing_IsRetriedAfterABackoff_ThenSucceeds()
    {
        _failuresToInject = 1;
        await using var app = await StartAsync();
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();

        await PostAsync(app, Event("evt_retry"));
        await UntilAsync(async () => (await inbox.GetAsync(InboxMessage.CreateId("acme", "evt_retry")))?.Error is not null, "the first attempt failed");
        _sideEffects.Should().BeEmpty();
        // Time passes between attempts, not during one: on a busy machine an attempt that outlived its lease on the
        // advancing clock would be claimed again and counted as another attempt.
        var id = InboxMessage.CreateId("acme", "evt_retry");
        await UntilAsync(async () => (await inbox.CountAsync()).Completed == 1, "the retry completed", async () =>
        {
            if ((await inbox.GetAsync(id))!.State != InboxState.Processing)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        });

        _sideEffects.Should().Equal("evt_retry");
        (await inbox.GetAsync(id))!.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task ProcessingThatKeepsFailing_IsDeadLetteredAfterMaxAttempts()
    {
        _failuresToInject = 100;
        await using var app = await StartAsync();
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        var id = InboxMessage.CreateId("acme", "evt_doomed");

        await PostAsync(app, Event("evt_doomed"));
        // Time passes between attempts, not during one: an attempt never outlives its lease here.
        await UntilAsync(
            async () => (await inbox.GetAsync(id))!.State == InboxState.DeadLettered,
            "the message is dead-lettered",
            async () =>
            {
                if ((await inbox.GetAsync(id))!.State != InboxState.Processing)
                {
                    _time.Advance(TimeSpan.FromSeconds(5));
                }
            });

        (await inbox.GetAsync(id))!.Attempts.Should().Be(3);
        (await inbox.GetAsync(id))!.Error.Should().Contain("the state store is unavailable");
    }

    [Fact]
    public async Task RecordFailingInsideTheSync_CompletesTheEvent_AndIsDeadLetteredByTheSync()
    {
        await using var app = await StartAsync();

        await PostAsync(app, "{\"id\":\"evt_bad\",\"type\":\"customer.flagged\",\"customer\":\"cus_broken\"}");
        await UntilDrainedAsync(app, 1);

        var deadLetter = (await app.Services.GetRequiredService<IDeadLetterStore>().ListAsync("acme-events")).Single();
        deadLetter.RecordKey.Should().Be("acme:event:evt_bad");
        deadLetter.Reason.Should().Contain("cus_broken cannot be flagged");
        deadLetter.Payload.Should().Contain("evt_bad");
    }

    [Fact]
    public async Task EventStoredBeforeTheProcessDied_IsProcessedByTheNextProcess()
    {
        await using (var first = await StartAsync(sqlite: true))
        {
            await first.StopAsync(); // the processor is gone: nothing will process what arrives now
            (await PostAsync(first, Event("evt_survivor"))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        SqliteConnection.ClearAllPools();
        await using var second = await StartAsync(sqlite: true);
        await UntilDrainedAsync(second, 1);

        _sideEffects.Should().Equal("evt_survivor");
    }
}

/// <summary>An in-memory memo store that fails while <c>fail()</c> says so.</summary>
internal sealed class FlakyMemoStore(Func<bool> fail) : IStepMemoStore
{
    private readonly Integrations.Sdk.State.InMemory.InMemoryStepMemoStore _inner = new();

    public ValueTask<IReadOnlyList<StepMemo>> GetRecordAsync(string sync, string recordKey, CancellationToken cancellationToken = default) =>
        fail() ? throw new IOException("the state store is unavailable") : _inner.GetRecordAsync(sync, recordKey, cancellationToken);

    public ValueTask SaveAsync(StepMemo memo, CancellationToken cancellationToken = default) => _inner.SaveAsync(memo, cancellationToken);
}
