using Integrations.Sdk;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.QuickBooks.Internal;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the QuickBooks Online connector: <c>services.AddIntegrations().AddQuickBooks(o =&gt; ...)</c>.</summary>
public static class QuickBooksIntegrationsBuilderExtensions
{
    /// <summary>
    /// Registers the QuickBooks Online connector for one company: its options (validated at start, naming the setting
    /// at fault), its HTTP client behind the SDK's transport (OAuth 2.0 with Basic client credentials and rotating
    /// refresh tokens kept in the token store under the realm id; per-realm budgets of 10 requests per second with 10
    /// in flight and 500 per minute; <c>requestid</c> as the idempotency key; the <see cref="QuickBooksSignalReader"/>),
    /// the <see cref="QuickBooksConnector"/> and the <see cref="QuickBooksWebhookSource"/>. Tune the transport with
    /// <c>services.PostConfigure&lt;ConnectorHttpOptions&gt;("quickbooks", ...)</c>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">QuickBooks is already registered.</exception>
    public static IIntegrationsBuilder AddQuickBooks(this IIntegrationsBuilder builder, Action<QuickBooksOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(QuickBooksConnector)))
        {
            throw new InvalidOperationException("QuickBooks is already registered: call AddQuickBooks once.");
        }

        services.AddOptions<QuickBooksOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuickBooksOptions>, QuickBooksOptionsValidator>());

        builder.AddConnectorClient<IQuickBooksApi>(
            QuickBooksConnector.ConnectorName,
            (sp, http) => Configure(http, sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value),
            _ => QuickBooksJson.CreateRefitSettings());

        services.AddSingleton(sp => new QuickBooksConnector(
            () => sp.GetRequiredService<IQuickBooksApi>(),
            sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<QuickBooksOptions>>();
            sp.GetRequiredService<SecretRedactor>().Register(options.Value.WebhookVerifierToken);
            return new QuickBooksWebhookSource(options);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSource, QuickBooksWebhookSource>(sp => sp.GetRequiredService<QuickBooksWebhookSource>()));
        return builder;
    }

    private static void Configure(ConnectorHttpOptions http, QuickBooksOptions options)
    {
        http.BaseAddress = options.ResolveBaseAddress();
        http.Auth = new OAuth2Auth
        {
            TokenEndpoint = options.TokenEndpoint,
            ClientId = options.ClientId,
            ClientSecret = options.ClientSecret,
            CredentialStyle = ClientCredentialStyle.BasicHeader,
            InitialRefreshToken = string.IsNullOrWhiteSpace(options.InitialRefreshToken) ? null : options.InitialRefreshToken,
        };

        // Intuit's limits per realm: 10 requests per second, 10 in flight, 500 per minute.
        http.RateLimit = new RateLimitOptions { PermitsPerWindow = 10, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 10 };
        http.AdditionalRateLimits.Clear();
        http.AdditionalRateLimits.Add(new RateLimitOptions { PermitsPerWindow = 500, Window = TimeSpan.FromMinutes(1) });
        if (!http.IdempotencyQueryParameters.Contains("requestid"))
        {
            http.IdempotencyQueryParameters.Add("requestid");
        }

        http.Signals = new QuickBooksSignalReader();
    }
}
