using Integrations.Sdk.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Webhooks;

/// <summary>
/// Drains the webhook inbox through the routed syncs: claims due messages with a lease, converts each event to its
/// sync's record type and processes it with the same pipeline, step memo and outcomes as polling. A failed attempt
/// is retried later with a growing delay; after <see cref="WebhookOptions.MaxAttempts"/> it is dead-lettered.
/// </summary>
internal sealed class WebhookProcessor : BackgroundService
{
    private const string DeferralsPrefix = "[deferred ";

    /// <summary>
    /// The longest an event waits for an outage whose end is unknown before it is looked at again: while the circuit
    /// is open that costs no request, and once the platform is back the event is not left waiting long.
    /// </summary>
    private static readonly TimeSpan OutageMaxWait = TimeSpan.FromMinutes(1);

    private readonly IWebhookInbox _inbox;
    private readonly IReadOnlyList<WebhookRoute> _routes;
    private readonly ISyncRunner _runner;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private CancellationTokenSource _wake = new();

    public WebhookProcessor(
        IWebhookInbox inbox,
        IEnumerable<WebhookRoute> routes,
        ISyncRunner runner,
        WebhookReceiver receiver,
        IOptions<WebhookOptions> options,
        TimeProvider timeProvider,
        SecretRedactor redactor,
        ILogger<WebhookProcessor> logger)
    {
        _inbox = inbox;
        _routes = [.. routes];
        _runner = runner;
        _options = options.Value;
        _time = timeProvider;
        _redactor = redactor;
        _logger = logger;
        receiver.Stored += Wake;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Keeps up to <see cref="WebhookOptions.Concurrency"/> messages in progress: whenever one finishes, its slot is
    /// filled with the next due message, so a slow message never holds up the others. When nothing is due it waits
    /// for a new delivery or <see cref="WebhookOptions.PollInterval"/>.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        var running = new HashSet<Task>();
        var inProgress = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                CancellationTokenSource wake;
                lock (_gate)
                {
                    wake = _wake;
                }

                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<InboxMessage> claimed;
                try
                {
                    var now = _time.GetUtcNow();
                    claimed = await _inbox.ClaimAsync(now, now + _options.Lease, free, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The inbox itself failed (a locked file, a full disk): messages stay where they are; try again.
                    Log.ScheduledRunFailed(_logger, "webhook inbox", _redactor.Redact(ex.Message));
                    claimed = [];
                }

                if (claimed.Count < free)
                {
                    slots.Release(free - claimed.Count);
                }

                foreach (var message in claimed)
                {
                    // Each claimed message keeps one of the slots taken above until it is settled. A message still in
                    // progress here whose lease ran out comes back from the claim: the attempt in progress settles it.
                    if (!inProgress.TryAdd(message.Id, 0))
                    {
                        slots.Release();
                        continue;
                    }

                    var task = ProcessAsync(message, stoppingToken);
                    lock (running)
                    {
                        running.Add(task);
                    }

                    _ = task.ContinueWith(
                        (t, state) =>
                        {
                            var (set, semaphore, ids, id) = ((HashSet<Task>, SemaphoreSlim, System.Collections.Concurrent.ConcurrentDictionary<string, byte>, string))state!;
                            ids.TryRemove(id, out _);
                            lock (set)
                            {
                                set.Remove(t);
                            }

                            semaphore.Release();
                        },
                        (running, slots, inProgress, message.Id),
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }

                if (claimed.Count > 0)
                {
                    continue;
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, wake.Token);
                try
                {
                    await Task.Delay(_options.PollInterval, _time, idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Woken by a new delivery.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            Task[] pending;
            lock (running)
            {
                pending = [.. running];
            }

            // Messages in progress finish (or see the stop token); anything unsettled comes back after its lease.
            try
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopped mid-message: its lease runs out and another pass takes it again.
            }
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            // The replaced source is not disposed: the loop may still be linking to its token. It holds no timer.
            var woken = _wake;
            _wake = new CancellationTokenSource();
            woken.Cancel();
        }
    }

    private async Task ProcessAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        var e = new WebhookEvent(message.EventId, message.EventType, message.Payload, message.OccurredAt);
        try
        {
            foreach (var route in _routes.Where(r => r.Matches(message.Source, message.EventType)))
            {
                object? record;
                try
                {
                    record = route.Convert(e);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var reason = $"the event could not be read as the record of sync '{route.Sync}': {_redactor.Redact(ex.Message)}";
                    await _inbox.DeadLetterAsync(message.Id, reason, CancellationToken.None).ConfigureAwait(false);
                    Log.InboxDeadLettered(_logger, message.Id, message.Source, message.EventType, message.Attempts, reason);
                    return;
                }

                if (record is null)
                {
                    continue; // the route chose to ignore this event
                }

                var report = await route.Process(_runner, record, cancellationToken).ConfigureAwait(false);
                if (report.Summary.Status == RunStatus.Paused)
                {
                    await DeferAsync(message, report, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (report.Summary.Status != RunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"sync '{route.Sync}' ended {report.Summary.Status}: {report.Summary.Error}");
                }

                // A record that failed inside the sync is dead-lettered (or ambiguous) there, with its payload:
                // the event itself is done.
            }

            await _inbox.CompleteAsync(message.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = _redactor.Redact(ex.Message);
            var deferrals = Deferrals(message.Error);
            if (message.Attempts - deferrals >= _options.MaxAttempts)
            {
                await _inbox.DeadLetterAsync(message.Id, $"gave up after {message.Attempts} attempt(s): {error}", CancellationToken.None).ConfigureAwait(false);
                Log.InboxDeadLettered(_logger, message.Id, message.Source, message.EventType, message.Attempts, error);
                return;
            }

            var delay = Backoff(message.Attempts - deferrals);
            var due = _time.GetUtcNow() + delay;
            await _inbox.RetryAsync(message.Id, due, WithDeferrals(deferrals, error), CancellationToken.None).ConfigureAwait(false);
            Log.InboxRetry(_logger, message.Id, message.Source, message.EventType, message.Attempts, due, error);
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(_options.RetryMaxDelay.Ticks, _options.RetryBaseDelay.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));

    /// <summary>
    /// A platform the event's sync needs is down (the run paused, the record deferred): the message goes back to
    /// pending, due when the connector's circuit lets a request through again (or after a growing wait, at most a
    /// minute, when that is unknown), and the claim is not counted against <see cref="WebhookOptions.MaxAttempts"/>,
    /// so an outage of any length dead-letters nothing. The count of such waits is kept at the front of the message's
    /// error.
    /// </summary>
    private async Task DeferAsync(InboxMessage message, RunReport report, CancellationToken cancellationToken)
    {
        var deferrals = Deferrals(message.Error) + 1;
        var now = _time.GetUtcNow();
        var wait = Backoff(deferrals);
        var due = report.ResumeAfter is { } resume && resume > now ? resume : now + (wait < OutageMaxWait ? wait : OutageMaxWait);

        var reason = _redactor.Redact(report.Summary.Error ?? "a platform is unavailable");
        await _inbox.RetryAsync(message.Id, due, WithDeferrals(deferrals, reason), cancellationToken).ConfigureAwait(false);
        Log.InboxDeferred(_logger, message.Id, message.Source, message.EventType, due, reason);
    }

    /// <summary>How many claims of a message were outages waited out, from the front of its error (see <see cref="WithDeferrals"/>).</summary>
    private static int Deferrals(string? error)
    {
        if (error is null || !error.StartsWith(DeferralsPrefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var end = error.IndexOf(' ', DeferralsPrefix.Length);
        return end > 0 && int.TryParse(error.AsSpan(DeferralsPrefix.Length, end - DeferralsPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static string WithDeferrals(int deferrals, string error) =>
        deferrals > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DeferralsPrefix}{deferrals} time(s) for an outage] {error}") : error;
}
