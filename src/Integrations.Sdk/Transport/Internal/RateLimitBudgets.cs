using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Integrations.Sdk.Telemetry;
using Microsoft.Extensions.Options;

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

    public async ValueTask<RateLimitLease> AcquireAsync(string connector, string account, CancellationToken cancellationToken)
    {
        var app = GetApp(connector);
        var appLease = app is null ? null : await app.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lease = await Get(connector, account).AcquireAsync(cancellationToken).ConfigureAwait(false);
            return appLease is null ? lease : new CompositeLease(appLease, lease);
        }
        catch
        {
            appLease?.Dispose();
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
