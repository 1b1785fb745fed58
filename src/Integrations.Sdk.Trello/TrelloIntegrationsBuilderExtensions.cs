using Integrations.Sdk.Transport.Auth;
using Integrations.Sdk.Trello;
using Integrations.Sdk.Trello.Internal;
using Integrations.Sdk.Trello.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Trello connector: <c>services.AddIntegrations().AddTrello(o =&gt; ...)</c>.</summary>
public static class TrelloIntegrationsBuilderExtensions
{
    /// <summary>Registers <see cref="TrelloOptions"/> (validated at start), the client, <see cref="TrelloConnector"/> and <see cref="TrelloWebhookSource"/>.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <exception cref="InvalidOperationException">Trello is already registered.</exception>
    public static IIntegrationsBuilder AddTrello(this IIntegrationsBuilder builder, Action<TrelloOptions> configure) =>
        Define(builder.AddConnector(TrelloConnector.ConnectorName, "Trello", configure));

    /// <summary>Registers the Trello connector with options bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section, for example <c>Integrations:Trello</c>.</param>
    /// <exception cref="InvalidOperationException">Trello is already registered.</exception>
    public static IIntegrationsBuilder AddTrello(this IIntegrationsBuilder builder, IConfiguration section) =>
        Define(builder.AddConnector<TrelloOptions>(TrelloConnector.ConnectorName, "Trello", section));

    private static IIntegrationsBuilder Define(ConnectorDefinition<TrelloOptions> trello) => trello
        .Validate(o => o.Validate())
        .Secrets(o => [o.Token, o.WebhookSecret])
        .Client<ITrelloApi>((o, http) =>
        {
            http.BaseAddress = o.BaseAddress;
            http.Auth = new QueryParameterAuth(("key", o.ApiKey), ("token", o.Token));
            http.RateLimit = new RateLimitOptions { PermitsPerWindow = o.RequestsPer10Seconds, Window = TimeSpan.FromSeconds(10) };
        })
        .Connector(c => new TrelloConnector(c.Api<ITrelloApi>()))
        .Webhooks(c => new TrelloWebhookSource(c.OptionsAccessor))
        .Builder;
}
