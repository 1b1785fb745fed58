using Integrations.Sdk.Crm;
using Integrations.Sdk.Salesforce;
using Integrations.Sdk.Salesforce.Internal;
using Integrations.Sdk.Salesforce.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Salesforce connector: <c>services.AddIntegrations().AddSalesforce(o =&gt; ...)</c>.</summary>
public static class SalesforceIntegrationsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="SalesforceOptions"/> (validated at start), the client (JWT bearer or client credentials
    /// tokens, the instance URL from the token answer, the org's daily budget), <see cref="SalesforceConnector"/> (also as
    /// the keyed <see cref="ICrmConnector"/> <c>"salesforce"</c>) and <see cref="SalesforceOutboundMessageSource"/>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Salesforce is already registered.</exception>
    public static IIntegrationsBuilder AddSalesforce(this IIntegrationsBuilder builder, Action<SalesforceOptions> configure) =>
        Define(builder.AddConnector(SalesforceConnector.ConnectorName, "Salesforce", configure));

    /// <summary>Registers the Salesforce connector with options bound from configuration (for example <c>Integrations:Salesforce</c>).</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Salesforce is already registered.</exception>
    public static IIntegrationsBuilder AddSalesforce(this IIntegrationsBuilder builder, IConfiguration section) =>
        Define(builder.AddConnector<SalesforceOptions>(SalesforceConnector.ConnectorName, "Salesforce", section));

    private static IIntegrationsBuilder Define(ConnectorDefinition<SalesforceOptions> salesforce)
    {
        var builder = salesforce
            .Validate(o => o.Validate())
            .Secrets(o => [o.ClientSecret, o.PrivateKeyPem])
            .Connector(c => new SalesforceConnector(c.Api<ISalesforceApi>(), c.Options))
            .Webhooks(c => new SalesforceOutboundMessageSource(c.OptionsAccessor))
            .Builder;

        // The token flows have no refresh token to keep, so the client's auth is a handler of the connector's own: it
        // gets a token (once, then again after INVALID_SESSION_ID) and moves each request to the instance URL.
        var services = builder.Services;
        services.TryAddSingleton(sp => new SalesforceTokens(
            sp.GetRequiredService<IOptions<SalesforceOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<SecretRedactor>()));
        services.AddHttpClient(SalesforceTokens.HttpClientName).RemoveAllLoggers();
        builder.AddConnectorClient<ISalesforceApi>(
                SalesforceConnector.ConnectorName,
                (sp, http) => sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.Configure(http),
                _ => new RefitSettings(new SystemTextJsonContentSerializer(SalesforceJson.Options)))
            .AddHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<SalesforceOptions>>().Value;
                return new SalesforceAuthHandler(sp.GetRequiredService<SalesforceTokens>(), o.InstanceUrl ?? o.LoginUrl);
            });

        // The CRM category model, keyed by the connector's name: GetRequiredKeyedService<ICrmConnector>("salesforce").
        services.AddKeyedSingleton<ICrmConnector>(SalesforceConnector.ConnectorName, (sp, _) => sp.GetRequiredService<SalesforceConnector>());
        return builder;
    }
}
