using Integrations.Sdk.Stripe.Internal;

namespace Integrations.Sdk.Stripe.Models;

/// <summary>
/// What an <c>invoice.payment_failed</c> event says: which invoice of which customer failed to be paid, how much is
/// due and when Stripe retries. Read it with <see cref="From(StripeEvent)"/> or <see cref="StripeWebhookSource.ReadInvoicePaymentFailed"/>.
/// </summary>
/// <param name="EventId">The event's id.</param>
/// <param name="InvoiceId">The invoice's id, <c>in_...</c>.</param>
/// <param name="CustomerId">The customer's id, <c>cus_...</c>.</param>
/// <param name="CustomerEmail">The customer's email on the invoice.</param>
/// <param name="AmountDue">The amount due, in the currency's minor unit.</param>
/// <param name="Currency">The three-letter ISO currency, lower case.</param>
/// <param name="AttemptCount">How many payment attempts were made.</param>
/// <param name="NextPaymentAttempt">When Stripe retries; <see langword="null"/> when it has stopped retrying.</param>
/// <param name="SubscriptionId">The subscription the invoice bills, if any.</param>
/// <param name="HostedInvoiceUrl">The page where the customer can pay.</param>
/// <param name="OccurredAt">When the event happened.</param>
public sealed record StripeInvoicePaymentFailed(
    string EventId,
    string InvoiceId,
    string? CustomerId,
    string? CustomerEmail,
    long AmountDue,
    string? Currency,
    int AttemptCount,
    DateTimeOffset? NextPaymentAttempt,
    string? SubscriptionId,
    string? HostedInvoiceUrl,
    DateTimeOffset OccurredAt)
{
    /// <summary>The event type.</summary>
    public const string EventType = "invoice.payment_failed";

    /// <summary>Reads the payment failure an <c>invoice.payment_failed</c> event carries.</summary>
    /// <param name="stripeEvent">The event.</param>
    /// <exception cref="ArgumentException">The event is of another type.</exception>
    /// <exception cref="FormatException">The event's object is not an invoice; the message names the field.</exception>
    public static StripeInvoicePaymentFailed From(StripeEvent stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        if (!string.Equals(stripeEvent.Type, EventType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event {stripeEvent.Id} is {stripeEvent.Type}, not {EventType}.", nameof(stripeEvent));
        }

        if (stripeEvent.Data.Object.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Event {stripeEvent.Id}: data.object is missing or not an object.");
        }

        var invoice = PlatformJson.ReadAs<StripeInvoice>(stripeEvent.Data.Object, PlatformJson.SnakeCase, $"Event {stripeEvent.Id}: data.object is not an invoice");

        if (string.IsNullOrEmpty(invoice.Id))
        {
            throw new FormatException($"Event {stripeEvent.Id}: data.object.id is missing.");
        }

        return new StripeInvoicePaymentFailed(
            stripeEvent.Id,
            invoice.Id,
            invoice.Customer,
            invoice.CustomerEmail,
            invoice.AmountDue,
            invoice.Currency,
            invoice.AttemptCount,
            invoice.NextPaymentAttempt is { } next ? DateTimeOffset.FromUnixTimeSeconds(next) : null,
            invoice.SubscriptionId,
            invoice.HostedInvoiceUrl,
            stripeEvent.CreatedAt);
    }
}
