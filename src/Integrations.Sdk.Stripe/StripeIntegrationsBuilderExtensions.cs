using Integrations.Sdk.Stripe;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Stripe.Models;
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

    /// <summary>
    /// Routes the <c>invoice.payment_failed</c> webhooks of the <c>stripe</c> source to the sync <paramref name="sync"/>,
    /// read with <see cref="StripeWebhookSource.ReadInvoicePaymentFailed"/>: the same record type as
    /// <see cref="StripeConnector.InvoicePaymentFailures"/>, so the sync can also read that source on a schedule to catch
    /// webhooks that never came, with one key for both paths (for example
    /// <c>f =&gt; $"stripe:invoice:{f.InvoiceId}:attempt:{f.AttemptCount}"</c>).
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="sync">The sync's name; its record type must be <see cref="StripeInvoicePaymentFailed"/>.</param>
    public static IIntegrationsBuilder AddStripeInvoicePaymentFailedRoute(this IIntegrationsBuilder builder, string sync) =>
        builder.AddWebhookRoute<StripeInvoicePaymentFailed>(
            StripeConnector.ConnectorName, sync, StripeWebhookSource.ReadInvoicePaymentFailed, StripeInvoicePaymentFailed.EventType);

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
