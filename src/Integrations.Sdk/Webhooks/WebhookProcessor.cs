using Integrations.Sdk.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Webhooks;

/// <summary>
/// Drains the webhook inbox through the routed syncs: claims due messages with a lease, converts each event to its
/// sync's record type and processes it with the same pipeline, step memo and outcomes as polling. A failed attempt
/// is retried later with a growing delay; after <see cref="WebhookOptions.MaxAttempts"/> it is dead-lettered. Every change
/// is made under the message's latest claim, so an attempt that outlived its lease cannot undo the work of the
/// processor that claimed the message after it.
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
    private readonly IntegrationsMetrics _metrics;
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
        IntegrationsMetrics metrics,
        ILogger<WebhookProcessor> logger)
    {
        _inbox = inbox;
        _routes = [.. routes];
        _runner = runner;
        _options = options.Value;
        _time = timeProvider;
        _redactor = redactor;
        _metrics = metrics;
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
        var inProgress = new System.Collections.Concurrent.ConcurrentDictionary<string, InboxClaim>(StringComparer.Ordinal);
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
                    // progress here whose lease ran out comes back from the claim: the attempt in progress takes the
                    // new claim and settles the message under it.
                    if (inProgress.TryGetValue(message.Id, out var current) && current.TryRenew(message))
                    {
                        slots.Release();
                        continue;
                    }

                    var claim = new InboxClaim(message);
                    inProgress[message.Id] = claim;
                    var task = ProcessAsync(claim, stoppingToken);
                    lock (running)
                    {
                        running.Add(task);
                    }

                    _ = task.ContinueWith(
                        (t, state) =>
                        {
                            var (set, semaphore, ids, done) = ((HashSet<Task>, SemaphoreSlim, System.Collections.Concurrent.ConcurrentDictionary<string, InboxClaim>, InboxClaim))state!;
                            ids.TryRemove(KeyValuePair.Create(done.Id, done)); // not a newer attempt's entry

                            lock (set)
                            {
                                set.Remove(t);
                            }

                            semaphore.Release();
                        },
                        (running, slots, inProgress, claim),
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

    /// <summary>
    /// Makes attempts at a claimed message until one ends it. A message settled to be due again at once (deferred until
    /// a circuit about to close, or retried after a short backoff) can be claimed again by the loop before this attempt
    /// is over: that newer claim, handed to this attempt, is the next attempt's, made here in the same slot rather than
    /// left claimed, unprocessed, until its lease runs out.
    /// </summary>
    private async Task ProcessAsync(InboxClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            do
            {
                await AttemptAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            while (!claim.TryEnd());
        }
        finally
        {
            claim.Close();
        }
    }

    private async Task AttemptAsync(InboxClaim claim, CancellationToken cancellationToken)
    {
        var message = claim.Latest; // the event is the same under every claim
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
                    await SettleAsync(claim, reason, giveUp: true).ConfigureAwait(false);
                    return;
                }

                if (record is null)
                {
                    continue; // the route chose to ignore this event
                }

                var report = await route.Process(_runner, record, cancellationToken).ConfigureAwait(false);
                if (report.Summary.Status == RunStatus.Paused)
                {
                    await SettleAsync(claim, _redactor.Redact(report.Summary.Error ?? "a platform is unavailable"), outage: report).ConfigureAwait(false);
                    return;
                }

                if (report.Summary.Status != RunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"sync '{route.Sync}' ended {report.Summary.Status}: {report.Summary.Error}");
                }

                // A record that failed inside the sync is dead-lettered (or ambiguous) there, with its payload:
                // the event itself is done.
            }

            await SettleAsync(claim, error: null).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await SettleAsync(claim, _redactor.Redact(ex.Message)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes the message (no <paramref name="error"/>), or after a failed attempt puts it back with a growing delay
    /// or dead-letters it (at <see cref="WebhookOptions.MaxAttempts"/>, or at once when <paramref name="giveUp"/>),
    /// under its latest claim. A change the inbox refuses because the claim has passed on is made again under a newer
    /// claim this processor got meanwhile, if any; otherwise it is dropped, logged (event 3005) and counted: the
    /// message belongs to whoever claimed it since.
    /// </summary>
    /// <remarks>
    /// When a platform the event's sync needs is down (<paramref name="outage"/>: the run paused, the record deferred),
    /// the message goes back to pending, due when the connector's circuit lets a request through again (or after a
    /// growing wait, at most a minute, when that is unknown), and the claim is not counted against
    /// <see cref="WebhookOptions.MaxAttempts"/>, so an outage of any length dead-letters nothing. The count of such
    /// waits is kept at the front of the message's error.
    /// </remarks>
    private async Task SettleAsync(InboxClaim claim, string? error, bool giveUp = false, RunReport? outage = null)
    {
        while (true)
        {
            var message = claim.Latest;
            var deferrals = Deferrals(message.Error);
            string change;
            bool applied;
            if (error is null)
            {
                change = "complete";
                applied = await _inbox.CompleteAsync(message, CancellationToken.None).ConfigureAwait(false);
            }
            else if (outage is not null)
            {
                change = "defer";
                var now = _time.GetUtcNow();
                var wait = Backoff(deferrals + 1);
                var due = outage.ResumeAfter is { } resume && resume > now ? resume : now + (wait < OutageMaxWait ? wait : OutageMaxWait);
                applied = await _inbox.RetryAsync(message, due, WithDeferrals(deferrals + 1, error), CancellationToken.None).ConfigureAwait(false);
                if (applied)
                {
                    Log.InboxDeferred(_logger, message.Id, message.Source, message.EventType, due, error);
                }
            }
            else if (giveUp || message.Attempts - deferrals >= _options.MaxAttempts)
            {
                change = "dead-letter";
                var reason = giveUp ? error : $"gave up after {message.Attempts} attempt(s): {error}";
                applied = await _inbox.DeadLetterAsync(message, reason, CancellationToken.None).ConfigureAwait(false);
                if (applied)
                {
                    Log.InboxDeadLettered(_logger, message.Id, message.Source, message.EventType, message.Attempts, error);
                }
            }
            else
            {
                change = "retry";
                var due = _time.GetUtcNow() + Backoff(message.Attempts - deferrals);
                applied = await _inbox.RetryAsync(message, due, WithDeferrals(deferrals, error), CancellationToken.None).ConfigureAwait(false);
                if (applied)
                {
                    Log.InboxRetry(_logger, message.Id, message.Source, message.EventType, message.Attempts, due, error);
                }
            }

            if (applied)
            {
                claim.Settled(message);
                return;
            }

            if (!claim.Superseded(message))
            {
                Log.InboxClaimLost(_logger, message.Id, message.Source, message.EventType, message.Attempts, change);
                _metrics.WebhookClaimLost(message.Source);
                return;
            }
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(_options.RetryMaxDelay.Ticks, _options.RetryBaseDelay.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));

    /// <summary>How many claims of a message were outages waited out, from the front of its error (see <see cref="WithDeferrals"/>).</summary>
    private static int Deferrals(string? error)
    {
        if (error is null || !error.StartsWith(DeferralsPrefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var end = error.IndexOf(' ', DeferralsPrefix.Length);
        return end > 0 && int.TryParse(error.AsSpan(DeferralsPrefix.Length, end - DeferralsPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static string WithDeferrals(int deferrals, string error) =>
        deferrals > 0 ? string.Create(CultureInfo.InvariantCulture, $"{DeferralsPrefix}{deferrals} time(s) for an outage] {error}") : error;

    /// <summary>
    /// The claim an attempt in progress settles its message under: the latest one this processor got. When the lease
    /// runs out mid-attempt and this processor's own loop claims the message again, the new claim goes to the attempt
    /// in progress instead of starting a second one.
    /// </summary>
    private sealed class InboxClaim(InboxMessage first)
    {
        private readonly Lock _gate = new();
        private InboxMessage _latest = first;
        private InboxMessage? _settled;
        private bool _over;

        public string Id { get; } = first.Id;

        public InboxMessage Latest
        {
            get
            {
                lock (_gate)
                {
                    return _latest;
                }
            }
        }

        /// <summary>Hands a newer claim to the attempt in progress; <see langword="false"/> once the attempt is over (a new attempt must take it).</summary>
        public bool TryRenew(InboxMessage newer)
        {
            lock (_gate)
            {
                if (!_over)
                {
                    _latest = newer;
                }

                return !_over;
            }
        }

        /// <summary>
        /// After a change under <paramref name="used"/> was refused: whether a newer claim came meanwhile, to make it
        /// again under. If none did, the attempt is over, and a claim arriving later starts a new one.
        /// </summary>
        public bool Superseded(InboxMessage used)
        {
            lock (_gate)
            {
                _over = ReferenceEquals(_latest, used);
                return !_over;
            }
        }

        /// <summary>Notes that the attempt's change was applied under <paramref name="used"/>.</summary>
        public void Settled(InboxMessage used)
        {
            lock (_gate)
            {
                _settled = used;
            }
        }

        /// <summary>
        /// Ends the attempt, unless a newer claim was handed to it after its change was applied (the message was due
        /// again at once): then <see langword="false"/>, and that claim's attempt is to be made now. Atomic with
        /// <see cref="TryRenew"/>, so a claim is either taken here or starts a new attempt in the loop, never neither.
        /// </summary>
        public bool TryEnd()
        {
            lock (_gate)
            {
                if (_settled is not null && !ReferenceEquals(_latest, _settled))
                {
                    _settled = null;
                    return false;
                }

                _over = true;
                return true;
            }
        }

        /// <summary>Ends the attempt: a claim arriving later starts a new one.</summary>
        public void Close()
        {
            lock (_gate)
            {
                _over = true;
            }
        }
    }
}
