using Integrations.Sdk.MailchimpTransactional;
using Integrations.Sdk.MailchimpTransactional.Internal;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Mailchimp Transactional (Mandrill) connector: <c>services.AddIntegrations().AddMailchimpTransactional(o =&gt; ...)</c>.</summary>
public static class MailchimpTransactionalIntegrationsBuilderExtensions
{
    /// <summary>Registers the Mailchimp Transactional connector, with options filled in code.</summary>
    public static IIntegrationsBuilder AddMailchimpTransactional(this IIntegrationsBuilder builder, Action<MailchimpTransactionalOptions> configure) =>
        Declare(builder.AddConnector(MailchimpTransactionalConnector.ConnectorName, "Mailchimp Transactional", configure));

    /// <summary>Registers the Mailchimp Transactional connector, with options bound from configuration.</summary>
    public static IIntegrationsBuilder AddMailchimpTransactional(this IIntegrationsBuilder builder, IConfiguration section) =>
        Declare(builder.AddConnector<MailchimpTransactionalOptions>(MailchimpTransactionalConnector.ConnectorName, "Mailchimp Transactional", section));

    private static IIntegrationsBuilder Declare(ConnectorDefinition<MailchimpTransactionalOptions> connector) => connector
        .Validate(o => o.Validate())
        .Secrets(o => [o.ApiKey])
        .Client<IMailchimpTransactionalApi>(
            (o, http) =>
            {
                http.BaseAddress = o.ResolveBaseAddress();
                http.Auth = null; // The key travels in the body.

                // Mandrill publishes no fixed request rate; a modest budget keeps a sync from hammering the account.
                http.RateLimit = new RateLimitOptions { PermitsPerWindow = 10, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 4 };
                http.Signals = new MailchimpTransactionalSignalReader();
            },
            PlatformJson.SnakeCase)
        .Connector(c => new MailchimpTransactionalConnector(c.Api<IMailchimpTransactionalApi>(), c.Options))
        .Builder;
}
