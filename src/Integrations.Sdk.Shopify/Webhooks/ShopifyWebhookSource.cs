namespace Integrations.Sdk.Shopify;

/// <summary>Shopify webhooks: <c>X-Shopify-Hmac-Sha256</c> is Base64(HMAC-SHA256(client secret, raw body)); a delivery is one event keyed by <c>X-Shopify-Event-Id</c>.</summary>
/// <remarks>
/// Shopify delivers at least once, may deliver out of order and does not always deliver: dedupe on the event id and
/// keep an incremental poll of <see cref="ShopifyConnector.Orders"/> running to reconcile.
/// </remarks>
/// <param name="options">The connector's options; <see cref="ShopifyOptions.WebhookSecret"/> verifies signatures.</param>
/// <param name="timeProvider">The clock; the system clock by default.</param>
public sealed class ShopifyWebhookSource(IOptions<ShopifyOptions> options, TimeProvider? timeProvider = null)
    : HmacWebhookSource(ShopifyConnector.ConnectorName, Signature, $"{nameof(ShopifyOptions)}.{nameof(ShopifyOptions.WebhookSecret)}", timeProvider)
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Shopify-Hmac-Sha256";

    /// <summary>The topic header, for example <c>orders/create</c>.</summary>
    public const string TopicHeader = "X-Shopify-Topic";

    /// <summary>The event id header: the same for every delivery of one event, the dedupe key.</summary>
    public const string EventIdHeader = "X-Shopify-Event-Id";

    /// <summary>The webhook (delivery) id header, used when no event id is sent.</summary>
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";

    /// <summary>When Shopify triggered the webhook.</summary>
    public const string TriggeredAtHeader = "X-Shopify-Triggered-At";

    /// <summary>The shop the webhook comes from.</summary>
    public const string ShopDomainHeader = "X-Shopify-Shop-Domain";

    private static readonly HmacSignatureScheme Signature = new()
    {
        SignatureHeader = SignatureHeader,
        Encoding = SignatureEncoding.Base64,
        SecretName = "client secret",
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IOptions<ShopifyOptions> _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    protected override string? Secret => _options.Value.WebhookSecret;

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = NonBlank(request.Header(TopicHeader)) ?? throw new FormatException($"The Shopify webhook has no {TopicHeader} header.");
        var eventId = NonBlank(request.Header(EventIdHeader)) ?? NonBlank(request.Header(WebhookIdHeader))
            ?? throw new FormatException($"The Shopify webhook has neither an {EventIdHeader} nor an {WebhookIdHeader} header.");
        string payload;
        try
        {
            payload = StrictUtf8.GetString(request.Body.Span);
            using var document = JsonDocument.Parse(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"The Shopify webhook body ({topic}) is not a JSON object.");
            }
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            throw new FormatException($"The Shopify webhook body ({topic}) is not valid JSON: {ex.Message}", ex);
        }

        DateTimeOffset? occurredAt = DateTimeOffset.TryParse(request.Header(TriggeredAtHeader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
        return [new WebhookEvent(eventId, topic, payload, occurredAt)];
    }

    /// <summary>Reads an order webhook's REST-shaped payload (<c>orders/create</c>, <c>orders/paid</c>...) into the <see cref="ShopifyOrder"/> the orders query returns.</summary>
    /// <param name="payload">The event's JSON payload.</param>
    /// <returns>The order.</returns>
    /// <exception cref="FormatException">The payload is not an order; the message names the field at fault.</exception>
    public static ShopifyOrder ReadOrder(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return ShopifyWebhookOrderReader.Read(payload);
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
