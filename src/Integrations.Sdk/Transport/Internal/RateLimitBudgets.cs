using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>The budgets of every connector, per account, plus the optional app-wide budget per connector.</summary>
internal sealed class RateLimitBudgets(IOptionsMonitor<ConnectorHttpOptions> options, TimeProvider timeProvider, IntegrationsMetrics metrics) : IDisposable
{
    private const string AppAccount = "$app";
    private readonly ConcurrentDictionary<(string Connector, string Account), RateLimitBudget> _budgets = new();

    public RateLimitBudget Get(string connector, string account) =>
        _budgets.GetOrAdd((connector, account), key => new RateLimitBudget(key.Connector, key.Account, options.Get(key.Connector).RateLimit, timeProvider, metrics));

    public RateLimitBudget? GetApp(string connector)
    {
        var app = options.Get(connector).AppRateLimit;
        return app is null ? null : _budgets.GetOrAdd((connector, AppAccount), key => new RateLimitBudget(key.Connector, "app", app, timeProvider, metrics));
    }

    /// <summary>Every budget a request of this account must pass: the app-wide one, the account's extra windows, then its primary one.</summary>
    public IEnumerable<RateLimitBudget> Chain(string connector, string account)
    {
        if (GetApp(connector) is { } app)
        {
            yield return app;
        }

        var extra = options.Get(connector).AdditionalRateLimits;
        for (var i = 0; i < extra.Count; i++)
        {
            var limit = extra[i];
            yield return _budgets.GetOrAdd((connector, $"{account}#{i}"), key => new RateLimitBudget(key.Connector, key.Account, limit, timeProvider, metrics));
        }

        yield return Get(connector, account);
    }

    public async ValueTask<RateLimitLease> AcquireAsync(string connector, string account, CancellationToken cancellationToken)
    {
        RateLimitLease? held = null;
        try
        {
            foreach (var budget in Chain(connector, account))
            {
                var lease = await budget.AcquireAsync(cancellationToken).ConfigureAwait(false);
                held = held is null ? lease : new CompositeLease(held, lease);
            }

            return held!;
        }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var budget in _budgets.Values)
        {
            budget.Dispose();
        }
    }

    private sealed class CompositeLease(RateLimitLease first, RateLimitLease second) : AcquiredLease
    {
        protected override void Dispose(bool disposing)
        {
            second.Dispose();
            first.Dispose();
            base.Dispose(disposing);
        }
    }
}
