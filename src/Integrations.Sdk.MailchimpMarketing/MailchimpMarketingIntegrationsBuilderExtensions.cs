using Integrations.Sdk.MailchimpMarketing;
using Integrations.Sdk.MailchimpMarketing.Internal;
using Integrations.Sdk.MailchimpMarketing.Webhooks;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Mailchimp Marketing connector: <c>services.AddIntegrations().AddMailchimpMarketing(o =&gt; ...)</c>.</summary>
public static class MailchimpMarketingIntegrationsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="MailchimpMarketingOptions"/> (validated at start), the client, <see cref="MailchimpMarketingConnector"/>
    /// and <see cref="MailchimpListWebhookSource"/>, with options filled in code.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <exception cref="InvalidOperationException">Mailchimp Marketing is already registered.</exception>
    public static IIntegrationsBuilder AddMailchimpMarketing(this IIntegrationsBuilder builder, Action<MailchimpMarketingOptions> configure) =>
        Define(builder.AddConnector(MailchimpMarketingConnector.ConnectorName, "Mailchimp Marketing", configure));

    /// <summary>Registers the Mailchimp Marketing connector with options bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section, for example <c>Integrations:MailchimpMarketing</c>.</param>
    /// <exception cref="InvalidOperationException">Mailchimp Marketing is already registered.</exception>
    public static IIntegrationsBuilder AddMailchimpMarketing(this IIntegrationsBuilder builder, IConfiguration section) =>
        Define(builder.AddConnector<MailchimpMarketingOptions>(MailchimpMarketingConnector.ConnectorName, "Mailchimp Marketing", section));

    private static IIntegrationsBuilder Define(ConnectorDefinition<MailchimpMarketingOptions> mailchimp)
    {
        // The batch results archive lives on another host (a pre-signed URL): a client of its own, without Mailchimp's
        // credentials and without the factory's loggers (the URL's query is a credential), retried by Polly on transient failures.
        mailchimp.Builder.Services.AddHttpClient(MailchimpMarketingConnector.BatchResultsClientName)
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(120);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(5);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(5);
            });
        return mailchimp
            .Validate(o => o.Validate())
            .Secrets(o => [o.ApiKey, o.AccessToken, o.WebhookSecret])
            .Client<IMailchimpMarketingApi>(
                (o, http) =>
                {
                    http.BaseAddress = o.ResolveBaseAddress();
                    http.Auth = string.IsNullOrWhiteSpace(o.ApiKey)
                        ? new ApiKeyAuth("Authorization", o.AccessToken!.Trim(), "Bearer ")
                        : new BasicAuth("anystring", o.ApiKey.Trim());

                    // Mailchimp limits simultaneous connections (10 per key), not requests per second: MaxConcurrency is
                    // the limit; the per-second budget is only a guard against a runaway loop.
                    http.RateLimit = new RateLimitOptions { PermitsPerWindow = 50, Window = TimeSpan.FromSeconds(1), MaxConcurrency = o.MaxConnections };
                    http.AttemptTimeout = TimeSpan.FromSeconds(120); // Mailchimp ends a call after 120 s itself.
                    http.Signals = new MailchimpMarketingSignalReader();
                },
                PlatformJson.SnakeCase)
            .Connector(c => new MailchimpMarketingConnector(
                c.Api<IMailchimpMarketingApi>(),
                c.Time,
                () => c.Services.GetRequiredService<IHttpClientFactory>().CreateClient(MailchimpMarketingConnector.BatchResultsClientName)))
            .Webhooks(c => new MailchimpListWebhookSource(c.OptionsAccessor))
            .Builder;
    }
}
