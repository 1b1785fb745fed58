using System.Threading.RateLimiting;

namespace Integrations.Sdk.Transport;

/// <summary>
/// A proactive request budget for one connector and account: a token bucket refilled evenly over a window, an
/// optional cap on requests in flight, and a pause that the platform's signals (remaining-quota headers, 429 with
/// <c>Retry-After</c>, cost-based throttle status) can impose. Waiting uses the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class RateLimitBudget : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IntegrationsMetrics? _metrics;
    private readonly SemaphoreSlim? _concurrency;
    private double _permitsPerWindow;
    private TimeSpan _window;
    private double _tokens;
    private long _lastRefill;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>Creates a budget.</summary>
    /// <param name="connector">The connector's name.</param>
    /// <param name="account">The account or tenant the budget belongs to.</param>
    /// <param name="options">The budget.</param>
    /// <param name="timeProvider">The clock used to refill and to wait.</param>
    public RateLimitBudget(string connector, string account, RateLimitOptions options, TimeProvider timeProvider)
        : this(connector, account, options, timeProvider, metrics: null)
    {
    }

    internal RateLimitBudget(string connector, string account, RateLimitOptions options, TimeProvider timeProvider, IntegrationsMetrics? metrics)
    {
        ArgumentException.ThrowIfNullOrEmpty(connector);
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PermitsPerWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Window, TimeSpan.Zero);
        Connector = connector;
        Account = account;
        _time = timeProvider;
        _metrics = metrics;
        _permitsPerWindow = options.PermitsPerWindow;
        _window = options.Window;
        _tokens = options.PermitsPerWindow;
        _lastRefill = timeProvider.GetTimestamp();
        if (options.MaxConcurrency > 0)
        {
            _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        }
    }

    /// <summary>The connector's name.</summary>
    public string Connector { get; }

    /// <summary>The account or tenant.</summary>
    public string Account { get; }

    /// <summary>The permits available now (for health and tests).</summary>
    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens;
            }
        }
    }

    /// <summary>Waits until a request may be sent, then takes one permit. Dispose the lease when the request is done.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        if (_concurrency is not null)
        {
            await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var waited = false;
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    Refill();
                    var now = _time.GetUtcNow();
                    if (now < _pausedUntil)
                    {
                        wait = _pausedUntil - now;
                    }
                    else if (_tokens >= 1)
                    {
                        _tokens -= 1;
                        break;
                    }
                    else
                    {
                        wait = TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) * _window.Ticks / _permitsPerWindow));
                    }
                }

                if (!waited)
                {
                    waited = true;
                    _metrics?.RateLimitWait(Connector);
                }

                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _concurrency?.Release();
            throw;
        }

        return new Lease(_concurrency);
    }

    /// <summary>
    /// Applies the platform's view of the budget, read from a response: <paramref name="remaining"/> requests left
    /// in a window that resets after <paramref name="resetAfter"/>. With nothing left, requests wait for the reset.
    /// </summary>
    /// <param name="remaining">Requests (or cost points, scaled by the connector) left.</param>
    /// <param name="resetAfter">When the platform's window resets; optional.</param>
    public void Observe(double remaining, TimeSpan? resetAfter = null)
    {
        lock (_gate)
        {
            Refill();
            _tokens = Math.Clamp(Math.Min(_tokens, remaining), 0, _permitsPerWindow);
            if (remaining < 1 && resetAfter is { } reset && reset > TimeSpan.Zero)
            {
                PauseLocked(reset);
            }
        }
    }

    /// <summary>Stops all requests on this budget for a while (after a 429 with <c>Retry-After</c>).</summary>
    /// <param name="duration">How long to pause.</param>
    public void PauseFor(TimeSpan duration)
    {
        lock (_gate)
        {
            PauseLocked(duration);
        }
    }

    /// <summary>Changes the budget's size (a platform reporting a different plan, for example).</summary>
    /// <param name="permitsPerWindow">Requests per window.</param>
    /// <param name="window">The window.</param>
    public void Resize(int permitsPerWindow, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        lock (_gate)
        {
            Refill();
            _permitsPerWindow = permitsPerWindow;
            _window = window;
            _tokens = Math.Min(_tokens, permitsPerWindow);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _concurrency?.Dispose();

    private void PauseLocked(TimeSpan duration)
    {
        var until = _time.GetUtcNow() + duration;
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
        }

        _tokens = 0;
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now);
        _lastRefill = now;
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(_permitsPerWindow, _tokens + (elapsed.Ticks * _permitsPerWindow / _window.Ticks));
        }
    }

    private sealed class Lease(SemaphoreSlim? concurrency) : AcquiredLease
    {
        private SemaphoreSlim? _concurrency = concurrency;

        protected override void Dispose(bool disposing)
        {
            Interlocked.Exchange(ref _concurrency, null)?.Release();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A granted lease without metadata; disposing it returns what it holds.</summary>
internal abstract class AcquiredLease : RateLimitLease
{
    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }
}
