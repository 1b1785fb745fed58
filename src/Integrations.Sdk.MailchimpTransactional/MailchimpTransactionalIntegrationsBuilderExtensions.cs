using Integrations.Sdk;
using Integrations.Sdk.MailchimpTransactional;
using Integrations.Sdk.MailchimpTransactional.Internal;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Mailchimp Transactional (Mandrill) connector: <c>services.AddIntegrations().AddMailchimpTransactional(o =&gt; ...)</c>.</summary>
public static class MailchimpTransactionalIntegrationsBuilderExtensions
{
    /// <summary>
    /// Registers the Mailchimp Transactional connector: its options (validated at start, naming the setting at
    /// fault), its HTTP client behind the SDK's transport (no auth header: the API key travels in each request body and
    /// is registered with the <see cref="SecretRedactor"/>; a budget of 10 requests per second with 4 in flight; the
    /// <see cref="MailchimpTransactionalSignalReader"/>) and the <see cref="MailchimpTransactionalConnector"/>. Tune the
    /// transport with <c>services.PostConfigure&lt;ConnectorHttpOptions&gt;("mailchimp-transactional", ...)</c>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Mailchimp Transactional is already registered.</exception>
    public static IIntegrationsBuilder AddMailchimpTransactional(this IIntegrationsBuilder builder, Action<MailchimpTransactionalOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(MailchimpTransactionalConnector)))
        {
            throw new InvalidOperationException("Mailchimp Transactional is already registered: call AddMailchimpTransactional once.");
        }

        services.AddOptions<MailchimpTransactionalOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailchimpTransactionalOptions>, MailchimpTransactionalOptionsValidator>());

        builder.AddConnectorClient<IMailchimpTransactionalApi>(
            MailchimpTransactionalConnector.ConnectorName,
            (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<MailchimpTransactionalOptions>>().Value;
                sp.GetRequiredService<SecretRedactor>().Register(options.ApiKey);
                Configure(http, options);
            });

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailchimpTransactionalOptions>>().Value;
            sp.GetRequiredService<SecretRedactor>().Register(options.ApiKey);
            return new MailchimpTransactionalConnector(() => sp.GetRequiredService<IMailchimpTransactionalApi>(), options);
        });
        return builder;
    }

    private static void Configure(ConnectorHttpOptions http, MailchimpTransactionalOptions options)
    {
        http.BaseAddress = options.ResolveBaseAddress();
        http.Auth = null; // The key travels in the body.

        // Mandrill publishes no fixed request rate; a modest budget keeps a sync from hammering the account.
        http.RateLimit = new RateLimitOptions { PermitsPerWindow = 10, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 4 };
        http.Signals = new MailchimpTransactionalSignalReader();
    }
}
