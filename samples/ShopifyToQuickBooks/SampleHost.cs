using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ShopifyToQuickBooks;

/// <summary>Builds the sample's host: SQLite state, Shopify and QuickBooks (simulated or live), and the sync.</summary>
public static class SampleHost
{
    /// <summary>Whether the configuration holds real credentials for both platforms.</summary>
    public static bool IsLive(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["Shopify:AccessToken"]) && !string.IsNullOrEmpty(configuration["QuickBooks:ClientSecret"]);

    /// <summary>Creates the host builder; <paramref name="platforms"/> null means live mode, from configuration.</summary>
    public static HostApplicationBuilder CreateBuilder(string statePath, OfflinePlatforms? platforms, int concurrency = 8) =>
        CreateBuilder(statePath, platforms?.Endpoints, concurrency);

    /// <summary>
    /// Creates the host builder for simulators that may run in another process (the crash tests do this);
    /// <paramref name="platforms"/> null means live mode, from configuration.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string statePath, SimulatedEndpoints? platforms, int concurrency = 8)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Error).AddFilter("Polly", LogLevel.None);
        var config = builder.Configuration;

        var integrations = builder.Services.AddIntegrations().UseSqliteState(statePath);
        integrations.AddShopify(o =>
        {
            if (platforms is null)
            {
                o.ShopDomain = config["Shopify:ShopDomain"] ?? "";
                o.AccessToken = config["Shopify:AccessToken"] ?? "";
            }
            else
            {
                o.ShopDomain = platforms.ShopDomain;
                o.AccessToken = platforms.ShopifyAccessToken;
                o.BaseAddress = platforms.ShopifyBaseAddress;
            }
        });
        integrations.AddQuickBooks(o =>
        {
            if (platforms is null)
            {
                o.RealmId = config["QuickBooks:RealmId"] ?? "";
                o.ClientId = config["QuickBooks:ClientId"] ?? "";
                o.ClientSecret = config["QuickBooks:ClientSecret"] ?? "";
                o.InitialRefreshToken = config["QuickBooks:RefreshToken"];
                o.Environment = config["QuickBooks:Environment"] == "Sandbox" ? QuickBooksEnvironment.Sandbox : QuickBooksEnvironment.Production;
            }
            else
            {
                o.RealmId = platforms.RealmId;
                o.ClientId = platforms.ClientId;
                o.ClientSecret = platforms.ClientSecret;
                o.InitialRefreshToken = platforms.InitialRefreshToken;
                o.BaseAddress = platforms.QuickBooksBaseAddress;
                o.TokenEndpoint = platforms.TokenEndpoint;
            }
        });

        if (platforms is not null)
        {
            foreach (var connector in new[] { "shopify", "quickbooks" })
            {
                builder.Services.PostConfigure<ConnectorHttpOptions>(connector, o =>
                {
                    // Simulated faults answer fast: give up on a silent request after a second and retry sooner.
                    o.AttemptTimeout = TimeSpan.FromSeconds(1);
                    o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                    o.MaxRetryAttempts = 6;
                });
            }

            // The simulated company allows more than Intuit's 10 requests per second, so the demo is quick;
            // the budgets follow it, as they would follow a platform's own limits: its rate, half its burst (as the
            // connector's defaults do, so requests the network delivers early are not one over), 10 in flight.
            builder.Services.PostConfigure<ConnectorHttpOptions>("quickbooks", o =>
            {
                o.RateLimit = new RateLimitOptions { PermitsPerWindow = OfflinePlatforms.QuickBooksRequestsPerSecond / 2, Window = TimeSpan.FromMilliseconds(500), MaxConcurrency = 10 };
                o.AdditionalRateLimits.Clear();
            });
        }

        integrations.AddOrdersToInvoices(concurrency);
        return builder;
    }
}
