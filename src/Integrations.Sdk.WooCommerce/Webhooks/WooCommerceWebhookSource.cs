namespace Integrations.Sdk.WooCommerce.Webhooks;

/// <summary>
/// Receives WooCommerce webhooks: <c>X-WC-Webhook-Signature</c> = Base64(HMAC-SHA256(the webhook's secret, raw body)).
/// Each delivery carries one resource; its event id is <c>X-WC-Webhook-Delivery-ID</c> (the inbox deduplicates on it)
/// and its type the topic, <c>X-WC-Webhook-Topic</c> (<c>order.updated</c>). The unsigned ping WooCommerce sends when a
/// webhook is created or activated (a form body <c>webhook_id=N</c>) is answered 200 and not stored. WooCommerce signs
/// no timestamp and does not retry: it disables a webhook after more than 5 consecutive failed deliveries.
/// </summary>
public sealed class WooCommerceWebhookSource : HmacWebhookSource, IWebhookHandshake
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-WC-Webhook-Signature";

    /// <summary>The header with the delivery's id, used as the event id.</summary>
    public const string DeliveryIdHeader = "X-WC-Webhook-Delivery-ID";

    /// <summary>The header with the topic (<c>resource.event</c>), used as the event type.</summary>
    public const string TopicHeader = "X-WC-Webhook-Topic";

    private static readonly HmacSignatureScheme WooCommerceScheme = new()
    {
        SignatureHeader = SignatureHeader,
        Hash = HmacHash.Sha256,
        Encoding = SignatureEncoding.Base64,
        SignedContent = [SignedPart.Body],
        SecretName = "webhook secret",
    };

    private readonly IOptions<WooCommerceOptions> _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; the secret is read on each verification.</param>
    public WooCommerceWebhookSource(IOptions<WooCommerceOptions> options)
        : base(WooCommerceConnector.ConnectorName, WooCommerceScheme, $"{nameof(WooCommerceOptions)}.{nameof(WooCommerceOptions.WebhookSecret)}", timeProvider: null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    protected override string? Secret => _options.Value.WebhookSecret;

    /// <summary>Answers 200 to WooCommerce's ping: an unsigned POST whose whole body is <c>webhook_id=N</c>; <see langword="null"/> otherwise.</summary>
    /// <param name="request">The request.</param>
    /// <param name="verification">The signature check's verdict (the ping is unsigned).</param>
    public WebhookResponse? Handshake(WebhookRequest request, WebhookVerification verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.Header(SignatureHeader)) || request.Body.Length is 0 or > 64)
        {
            return null;
        }

        var body = Encoding.UTF8.GetString(request.Body.Span).Trim();
        const string prefix = "webhook_id=";
        return body.StartsWith(prefix, StringComparison.Ordinal)
            && body.Length > prefix.Length
            && body.AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
            ? new WebhookResponse(200)
            : null;
    }

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deliveryId = request.Header(DeliveryIdHeader);
        if (string.IsNullOrWhiteSpace(deliveryId))
        {
            throw new FormatException($"The WooCommerce webhook has no {DeliveryIdHeader} header.");
        }

        var topic = request.Header(TopicHeader);
        if (string.IsNullOrWhiteSpace(topic))
        {
            throw new FormatException($"The WooCommerce webhook has no {TopicHeader} header.");
        }

        using var document = WebhookJson.Parse(request.Body, "WooCommerce");
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The WooCommerce webhook body is not a JSON object.");
        }

        DateTimeOffset? at = DateTimeOffset.TryParse(
            PlatformJson.Text(document.RootElement, "date_modified_gmt"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var modified)
            ? modified
            : null;
        return [new WebhookEvent(deliveryId.Trim(), topic.Trim(), document.RootElement.GetRawText(), at)];
    }
}
