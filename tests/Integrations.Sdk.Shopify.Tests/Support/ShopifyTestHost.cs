using Integrations.Sdk.Testing;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Shopify.Tests.Support;

/// <summary>Builds a service provider with the SDK and the Shopify connector pointed at a fake or simulated shop.</summary>
public static class ShopifyTestHost
{
    public const string Token = "shpat_test_token";
    public const string WebhookSecret = "test-webhook-secret";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static ServiceProvider Build(
        Uri baseAddress,
        TimeProvider time,
        Action<ShopifyOptions>? shopify = null,
        Action<ConnectorHttpOptions>? http = null,
        Action<IIntegrationsBuilder>? integrations = null,
        string token = Token)
    {
        return IntegrationsTestHost.Build(time, i => i.AddShopify(o =>
        {
            o.ShopDomain = "acme.myshopify.com";
            o.AccessToken = token;
            o.WebhookSecret = WebhookSecret;
            o.BaseAddress = baseAddress;
            shopify?.Invoke(o);
        }), services =>
        {
            services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false);
            if (http is not null)
            {
                services.PostConfigure(ShopifyConnector.ConnectorName, http);
            }
        }, integrations);
    }

    /// <summary>Settings for tests on real time against the simulator: short backoff, a large request budget.</summary>
    public static void FastTransport(ConnectorHttpOptions o)
    {
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
        o.AttemptTimeout = TimeSpan.FromSeconds(10);
        o.RateLimit = new RateLimitOptions { PermitsPerWindow = 1000, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 4 };
    }

    /// <summary>Waits (bounded) for a condition driven by other threads, without sleeping on a fixed delay.</summary>
    public static Task Until(Func<bool> condition, string what) => IntegrationsTestHost.UntilAsync(condition, what);

    public static async Task<List<Connectors.SourceRecord<T>>> ToListAsync<T>(IAsyncEnumerable<Connectors.SourceRecord<T>> records)
    {
        var list = new List<Connectors.SourceRecord<T>>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }
}
