using Integrations.Sdk.Books;
using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.QuickBooks.Internal;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the QuickBooks Online connector: <c>services.AddIntegrations().AddQuickBooks(o =&gt; ...)</c>.</summary>
public static class QuickBooksIntegrationsBuilderExtensions
{
    /// <summary>
    /// Registers the QuickBooks Online connector for one company: OAuth 2.0 with rotating refresh tokens, Intuit's per-realm
    /// budgets (10/s, 10 in flight, 500/min), the <see cref="QuickBooksConnector"/> (also as the keyed
    /// <see cref="IBooksConnector"/> <c>quickbooks</c>) and the <see cref="QuickBooksWebhookSource"/>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    public static IIntegrationsBuilder AddQuickBooks(this IIntegrationsBuilder builder, Action<QuickBooksOptions> configure) =>
        Declare(builder.AddConnector<QuickBooksOptions>(QuickBooksConnector.ConnectorName, QuickBooksConnector.DisplayName, configure));

    /// <summary>Registers the QuickBooks Online connector with options bound from configuration (for example <c>Integrations:QuickBooks</c>).</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IIntegrationsBuilder AddQuickBooks(this IIntegrationsBuilder builder, IConfiguration section) =>
        Declare(builder.AddConnector<QuickBooksOptions>(QuickBooksConnector.ConnectorName, QuickBooksConnector.DisplayName, section));

    private static IIntegrationsBuilder Declare(ConnectorDefinition<QuickBooksOptions> connector)
    {
        var builder = connector
            .Validate(o => o.Validate())
            .Secrets(o => [o.ClientSecret, o.InitialRefreshToken, o.WebhookVerifierToken])
            .Client<IQuickBooksApi>((o, http) => o.Configure(http), QuickBooksJson.Options)
            .Connector(c => new QuickBooksConnector(c.Api<IQuickBooksApi>(), c.Options))
            .Webhooks(c => new QuickBooksWebhookSource(c.OptionsAccessor, c.Time))
            .Builder;

        // The books category model, keyed by the connector's name: GetRequiredKeyedService<IBooksConnector>("quickbooks").
        builder.Services.AddKeyedSingleton<IBooksConnector>(QuickBooksConnector.ConnectorName, (sp, _) => sp.GetRequiredService<QuickBooksConnector>());
        return builder;
    }
}
