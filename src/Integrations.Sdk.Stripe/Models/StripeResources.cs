namespace Integrations.Sdk.Stripe.Models;

/// <summary>A Stripe customer (<c>cus_...</c>), the fields the connector reads.</summary>
public sealed class StripeCustomer
{
    /// <summary>The id, <c>cus_...</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The email address.</summary>
    public string? Email { get; set; }

    /// <summary>The full name or business name.</summary>
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The phone number.</summary>
    public string? Phone { get; set; }

    /// <summary>The three-letter ISO currency the customer is billed in, lower case.</summary>
    public string? Currency { get; set; }

    /// <summary>Whether the latest invoice's payment failed and is still unpaid.</summary>
    public bool? Delinquent { get; set; }

    /// <summary>When it was created, Unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>Whether it exists in live mode.</summary>
    public bool Livemode { get; set; }

    /// <summary>Your key-value pairs (up to 50 keys of 40 characters, values of 500).</summary>
    public Dictionary<string, string> Metadata { get; set; } = [];

    /// <summary>
    /// The fields of the customer this model does not type, by their JSON name, as Stripe sent them: Stripe returns every
    /// field of an object, so nothing needs asking for (for example <c>Extra["invoice_settings"]</c>). Expandable
    /// fields hold ids unless expanded.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A Stripe invoice (<c>in_...</c>), the fields the connector reads. Amounts are in the currency's minor unit (cents).</summary>
public sealed class StripeInvoice
{
    /// <summary>The id, <c>in_...</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The customer's id, <c>cus_...</c>.</summary>
    public string? Customer { get; set; }

    /// <summary>The customer's email, as copied onto the invoice when it was finalized.</summary>
    public string? CustomerEmail { get; set; }

    /// <summary><c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c> or <c>void</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The invoice number.</summary>
    public string? Number { get; set; }

    /// <summary>The three-letter ISO currency, lower case.</summary>
    public string? Currency { get; set; }

    /// <summary>The final amount due, in the minor unit.</summary>
    public long AmountDue { get; set; }

    /// <summary>The amount paid, in the minor unit.</summary>
    public long AmountPaid { get; set; }

    /// <summary>The amount remaining, in the minor unit.</summary>
    public long AmountRemaining { get; set; }

    /// <summary>How many payment attempts were made.</summary>
    public int AttemptCount { get; set; }

    /// <summary>Whether a payment attempt was made.</summary>
    public bool Attempted { get; set; }

    /// <summary>When Stripe retries the payment, Unix seconds; <see langword="null"/> when it will not.</summary>
    public long? NextPaymentAttempt { get; set; }

    /// <summary>The page where the customer can pay the invoice.</summary>
    public string? HostedInvoiceUrl { get; set; }

    /// <summary>
    /// Where the invoice comes from: since API version 2025-03-31.basil, its subscription (see <see cref="SubscriptionId"/>).
    /// </summary>
    public StripeInvoiceParent? Parent { get; set; }

    /// <summary>The subscription field of API versions before 2025-03-31.basil, when the answer still has it.</summary>
    [JsonPropertyName("subscription")]
    public string? LegacySubscription { get; set; }

    /// <summary>The subscription the invoice bills, from <c>parent.subscription_details</c> (or the legacy field).</summary>
    [JsonIgnore]
    public string? SubscriptionId => Parent?.SubscriptionDetails?.Subscription ?? LegacySubscription;

    /// <summary>When it was created, Unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>When payment is due, Unix seconds, for invoices sent for manual payment.</summary>
    public long? DueDate { get; set; }

    /// <summary>Whether it exists in live mode.</summary>
    public bool Livemode { get; set; }

    /// <summary>Your key-value pairs.</summary>
    public Dictionary<string, string> Metadata { get; set; } = [];

    /// <summary>
    /// The fields of the invoice this model does not type, by their JSON name, as Stripe sent them: Stripe returns every
    /// field of an object, so nothing needs asking for (for example <c>Extra["footer"]</c>). Expandable
    /// fields hold ids unless expanded.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>An invoice's parent: what generated it.</summary>
public sealed class StripeInvoiceParent
{
    /// <summary><c>subscription_details</c> or <c>quote_details</c>.</summary>
    public string? Type { get; set; }

    /// <summary>Set when a subscription generated the invoice.</summary>
    public StripeSubscriptionDetails? SubscriptionDetails { get; set; }
}

/// <summary>The subscription details of an invoice's parent.</summary>
public sealed class StripeSubscriptionDetails
{
    /// <summary>The subscription's id, <c>sub_...</c>.</summary>
    public string? Subscription { get; set; }
}

/// <summary>A Stripe subscription (<c>sub_...</c>), the fields the connector reads.</summary>
public sealed class StripeSubscription
{
    /// <summary>The id, <c>sub_...</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The customer's id.</summary>
    public string? Customer { get; set; }

    /// <summary><c>incomplete</c>, <c>incomplete_expired</c>, <c>trialing</c>, <c>active</c>, <c>past_due</c>, <c>canceled</c>, <c>unpaid</c> or <c>paused</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The three-letter ISO currency, lower case.</summary>
    public string? Currency { get; set; }

    /// <summary>Whether it ends at the end of the current period.</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>When it was canceled, Unix seconds.</summary>
    public long? CanceledAt { get; set; }

    /// <summary>The latest invoice's id.</summary>
    public string? LatestInvoice { get; set; }

    /// <summary>When it was created, Unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>Whether it exists in live mode.</summary>
    public bool Livemode { get; set; }

    /// <summary>Your key-value pairs.</summary>
    public Dictionary<string, string> Metadata { get; set; } = [];

    /// <summary>
    /// The fields of the subscription this model does not type, by their JSON name, as Stripe sent them: Stripe returns every
    /// field of an object, so nothing needs asking for (for example <c>Extra["invoice_settings"]</c>). Expandable
    /// fields hold ids unless expanded.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>
/// A Stripe event (<c>evt_...</c>), as listed by <c>/v1/events</c> and delivered by webhooks. Its
/// <see cref="Data"/> holds the object as it was when the event happened, in the event's <see cref="ApiVersion"/>.
/// </summary>
public sealed class StripeEvent
{
    /// <summary>The id, <c>evt_...</c>: the dedupe key of deliveries.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The type, for example <c>invoice.payment_failed</c>.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>When it happened, Unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>The API version its object is rendered in.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Whether it happened in live mode.</summary>
    public bool Livemode { get; set; }

    /// <summary>How many webhook deliveries are still pending.</summary>
    public int PendingWebhooks { get; set; }

    /// <summary>The object and, for updates, the previous values of the changed fields.</summary>
    public StripeEventData Data { get; set; } = new();

    /// <summary>When it happened.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeSeconds(Created);
}

/// <summary>An event's data.</summary>
public sealed class StripeEventData
{
    /// <summary>The object the event is about, as JSON.</summary>
    public JsonElement Object { get; set; }

    /// <summary>For <c>*.updated</c> events, the previous values of the fields that changed.</summary>
    public JsonElement? PreviousAttributes { get; set; }
}
