using Integrations.Sdk.Stripe;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Stripe connector: <c>services.AddIntegrations().AddStripe(o =&gt; ...)</c>.</summary>
public static class StripeIntegrationsBuilderExtensions
{
    /// <summary>Registers one account: <see cref="StripeOptions"/> (validated at start), the client, <see cref="StripeConnector"/> and <see cref="StripeWebhookSource"/>.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <exception cref="InvalidOperationException">Stripe is already registered.</exception>
    public static IIntegrationsBuilder AddStripe(this IIntegrationsBuilder builder, Action<StripeOptions> configure) =>
        Define(builder.AddConnector(StripeConnector.ConnectorName, "Stripe", configure));

    /// <summary>Registers the Stripe connector with options bound from configuration, as <see cref="AddStripe(IIntegrationsBuilder, Action{StripeOptions})"/>.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section, for example <c>Integrations:Stripe</c>.</param>
    /// <exception cref="InvalidOperationException">Stripe is already registered.</exception>
    public static IIntegrationsBuilder AddStripe(this IIntegrationsBuilder builder, IConfiguration section) =>
        Define(builder.AddConnector<StripeOptions>(StripeConnector.ConnectorName, "Stripe", section));

    private static IIntegrationsBuilder Define(ConnectorDefinition<StripeOptions> stripe) => stripe
        .Validate(o => o.Validate())
        .Secrets(o => [o.ApiKey, o.WebhookSecret])
        .Client<IStripeApi>((o, http) =>
        {
            http.BaseAddress = o.BaseAddress;
            http.Auth = new ApiKeyAuth("Authorization", o.ApiKey, "Bearer ");
            http.RateLimit = new RateLimitOptions { PermitsPerWindow = o.RequestsPerSecond, Window = TimeSpan.FromSeconds(1) };
            http.DefaultHeaders["Stripe-Version"] = o.ApiVersion;
            http.Signals = new StripeSignalReader();
        }, PlatformJson.SnakeCase)
        .Connector(c => new StripeConnector(c.Api<IStripeApi>()))
        .Webhooks(c => new StripeWebhookSource(c.OptionsAccessor, c.Time))
        .Builder;
}
