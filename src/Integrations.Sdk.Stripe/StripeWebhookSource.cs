using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Stripe.Models;

namespace Integrations.Sdk.Stripe;

/// <summary>
/// Receives Stripe webhooks: verifies <c>Stripe-Signature</c> with the endpoint's <c>whsec_...</c> secret (any
/// <c>v1</c> may match, as Stripe sends several while a secret is rolled), the timestamp within
/// <see cref="StripeOptions.WebhookTolerance"/> of now. Each request carries one event, keyed by its <c>evt_...</c> id.
/// </summary>
/// <param name="options">The connector's options; the secret and tolerance are read on each verification.</param>
/// <param name="timeProvider">The clock timestamps are checked against.</param>
public sealed class StripeWebhookSource(IOptions<StripeOptions> options, TimeProvider timeProvider)
    : HmacWebhookSource(
        StripeConnector.ConnectorName,
        StripeScheme,
        $"{nameof(StripeOptions)}.{nameof(StripeOptions.WebhookSecret)}",
        timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)))
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>Stripe's scheme: <c>t=…,v1=…</c>, HMAC-SHA256 in hex over <c>"{t}.{raw body}"</c>, any <c>v1</c> may match.</summary>
    private static readonly HmacSignatureScheme StripeScheme = new()
    {
        SignatureHeader = SignatureHeader,
        SignatureKey = "v1", // Other schemes (v0, the test-mode one) are ignored, as Stripe's libraries do.
        TimestampKey = "t",
        SignedContent = [SignedPart.Timestamp, SignedPart.Text("."), SignedPart.Body],
        SecretName = "signing secret",
    };

    private readonly IOptions<StripeOptions> _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    protected override string? Secret => _options.Value.WebhookSecret;

    /// <inheritdoc />
    protected override TimeSpan? Tolerance => _options.Value.WebhookTolerance;

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stripeEvent = ReadEvent(request.Body);
        return [new WebhookEvent(stripeEvent.Id, stripeEvent.Type, Encoding.UTF8.GetString(request.Body.Span), stripeEvent.CreatedAt)];
    }

    /// <summary>Reads the Stripe event an event of this source carries (its payload is the raw body).</summary>
    /// <param name="webhookEvent">An event returned by <see cref="Parse"/>.</param>
    /// <exception cref="FormatException">The payload is not a Stripe event; the message names the field at fault.</exception>
    public static StripeEvent ReadEvent(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        return ReadEvent(Encoding.UTF8.GetBytes(webhookEvent.Payload));
    }

    /// <summary>Reads an <c>invoice.payment_failed</c> event of this source.</summary>
    /// <param name="webhookEvent">An event returned by <see cref="Parse"/>, of type <c>invoice.payment_failed</c>.</param>
    /// <exception cref="ArgumentException">The event is of another type.</exception>
    /// <exception cref="FormatException">The payload is not such an event; the message names the field at fault.</exception>
    public static StripeInvoicePaymentFailed ReadInvoicePaymentFailed(WebhookEvent webhookEvent) =>
        StripeInvoicePaymentFailed.From(ReadEvent(webhookEvent));

    private static StripeEvent ReadEvent(ReadOnlyMemory<byte> body)
    {
        using var document = WebhookJson.Parse(body, "Stripe");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The Stripe webhook body is not a JSON object (an event).");
        }

        var id = RequiredString(root, "id");
        _ = RequiredString(root, "type"); // checked here for its message; read with the rest below
        if (!root.TryGetProperty("created", out var created) || created.ValueKind != JsonValueKind.Number || !created.TryGetInt64(out _))
        {
            throw new FormatException("The Stripe event's created is missing or not Unix seconds.");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The Stripe event {id}: data.object is missing or not an object.");
        }

        return PlatformJson.ReadAs<StripeEvent>(root, PlatformJson.SnakeCase, $"The Stripe event {id} has a field of the wrong type");
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"The Stripe event's {name} is missing or not a string.");
}
