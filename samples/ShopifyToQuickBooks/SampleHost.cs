using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.Xero;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ShopifyToQuickBooks;

/// <summary>Builds the sample's host: SQLite state, the store and the books (simulated, or live Shopify and QuickBooks), and the sync.</summary>
public static class SampleHost
{
    /// <summary>Whether the configuration holds real credentials for both platforms.</summary>
    public static bool IsLive(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["Shopify:AccessToken"]) && !string.IsNullOrEmpty(configuration["QuickBooks:ClientSecret"]);

    /// <summary>
    /// Creates the host builder; <paramref name="platforms"/> null means live mode, from configuration (Shopify →
    /// QuickBooks, the sync <see cref="OrdersToInvoices"/>). For the books shop
    /// (<see cref="OfflinePlatforms.OpenAsync(string, string, string, int, int, double, CancellationToken)"/>) it adds the
    /// chosen store and books connectors and <see cref="OrdersToBooks"/> with the shop's posting rules; for the classic
    /// shop, Shopify, QuickBooks and <see cref="OrdersToInvoices"/>.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string statePath, OfflinePlatforms? platforms, int concurrency = 8) =>
        platforms is null || platforms.IsClassic ? CreateBuilder(statePath, platforms?.Endpoints, concurrency) : CreateBooksBuilder(statePath, platforms, concurrency);

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
            TuneForSimulators(builder.Services, "shopify", "quickbooks");
        }

        integrations.AddOrdersToInvoices(concurrency);
        return builder;
    }

    /// <summary>
    /// The books shop's host: SQLite state, the chosen store (Shopify or WooCommerce) and books (QuickBooks or Xero)
    /// on their simulators, and the one sync <see cref="OrdersToBooks"/> for all four pairs.
    /// </summary>
    private static HostApplicationBuilder CreateBooksBuilder(string statePath, OfflinePlatforms platforms, int concurrency)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Error).AddFilter("Polly", LogLevel.None);
        var integrations = builder.Services.AddIntegrations().UseSqliteState(statePath);
        if (platforms.StorePlatform == "shopify")
        {
            var shopify = platforms.Shopify;
            integrations.AddShopify(o =>
            {
                o.ShopDomain = shopify.Options.ShopDomain;
                o.AccessToken = shopify.Options.AccessToken;
                o.BaseAddress = shopify.BaseAddress;
            });
        }
        else
        {
            var woo = platforms.WooCommerce;
            integrations.AddWooCommerce(o =>
            {
                o.StoreUrl = woo.BaseAddress; // http://127.0.0.1: the connector allows plain HTTP on loopback only
                o.ConsumerKey = woo.ConsumerKey;
                o.ConsumerSecret = woo.ConsumerSecret;
            });
        }

        if (platforms.BooksPlatform == "quickbooks")
        {
            var quickBooks = platforms.QuickBooks;
            integrations.AddQuickBooks(o =>
            {
                o.RealmId = quickBooks.RealmId;
                o.ClientId = quickBooks.ClientId;
                o.ClientSecret = quickBooks.ClientSecret;
                o.InitialRefreshToken = platforms.InitialRefreshToken;
                o.BaseAddress = quickBooks.BaseAddress;
                o.TokenEndpoint = quickBooks.TokenEndpoint;
            });
        }
        else
        {
            var xero = platforms.Xero;
            integrations.AddXero(o =>
            {
                o.TenantId = xero.TenantId;
                o.ClientId = xero.ClientId;
                o.ClientSecret = xero.ClientSecret;
                o.InitialRefreshToken = platforms.InitialRefreshToken;
                o.BaseAddress = xero.BaseAddress;
                o.TokenEndpoint = xero.TokenEndpoint;
                o.TrackingCategoryName = SampleBooks.TrackingCategory;
            });
        }

        TuneForSimulators(builder.Services, platforms.StorePlatform, platforms.BooksPlatform);
        integrations.AddOrdersToBooks(platforms.StorePlatform, platforms.BooksPlatform, platforms.Rules, concurrency);
        return builder;
    }

    /// <summary>Shorter timeouts and retries for simulated faults, and request budgets that follow the simulators' raised limits.</summary>
    private static void TuneForSimulators(IServiceCollection services, params string[] connectors)
    {
        foreach (var connector in connectors)
        {
            services.PostConfigure<ConnectorHttpOptions>(connector, o =>
            {
                // Simulated faults answer fast: give up on a silent request after a second and retry sooner.
                o.AttemptTimeout = TimeSpan.FromSeconds(1);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                o.MaxRetryAttempts = 6;
            });
        }

        if (connectors.Contains("quickbooks"))
        {
            // The simulated company allows more than Intuit's 10 requests per second, so the demo is quick;
            // the budgets follow it, as they would follow a platform's own limits: its rate, half its burst (as the
            // connector's defaults do, so requests the network delivers early are not one over), 10 in flight.
            services.PostConfigure<ConnectorHttpOptions>("quickbooks", o =>
            {
                o.RateLimit = new RateLimitOptions { PermitsPerWindow = OfflinePlatforms.QuickBooksRequestsPerSecond / 2, Window = TimeSpan.FromMilliseconds(500), MaxConcurrency = 10 };
                o.AdditionalRateLimits.Clear();
            });
        }

        if (connectors.Contains("xero"))
        {
            // Likewise for the simulated organisation: 6,000 a minute instead of Xero's 60 (and no daily cap), in
            // half-second windows; 5 in flight, as Xero allows.
            services.PostConfigure<ConnectorHttpOptions>("xero", o =>
            {
                o.RateLimit = new RateLimitOptions { PermitsPerWindow = OfflinePlatforms.XeroRequestsPerMinute / 120, Window = TimeSpan.FromMilliseconds(500), MaxConcurrency = 5 };
                o.AdditionalRateLimits.Clear();
            });
        }
    }
}
