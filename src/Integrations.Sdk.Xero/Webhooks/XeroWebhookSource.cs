namespace Integrations.Sdk.Xero.Webhooks;

/// <summary>
/// Receives Xero webhooks: <c>x-xero-signature</c> = Base64(HMAC-SHA256(the webhook key, raw body)). Xero signs no
/// timestamp and its events carry no id, so an event's id is <c>tenantId:eventCategory:resourceId:eventType:eventDateUtc</c>
/// and a replay is caught by the inbox's dedupe. Intent-to-receive (a delivery with an empty <c>events</c> list, sent
/// when the subscription is set up and now and then after) is answered 200 with an empty body when correctly signed,
/// 401 otherwise, and nothing is stored.
/// </summary>
public sealed class XeroWebhookSource : HmacWebhookSource, IWebhookHandshake
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "x-xero-signature";

    private static readonly HmacSignatureScheme XeroScheme = new()
    {
        SignatureHeader = SignatureHeader,
        Hash = HmacHash.Sha256,
        Encoding = SignatureEncoding.Base64,
        SignedContent = [SignedPart.Body],
        SecretName = "webhook key",
    };

    private readonly IOptions<XeroOptions> _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; the webhook key is read on each verification.</param>
    public XeroWebhookSource(IOptions<XeroOptions> options)
        : base(XeroConnector.ConnectorName, XeroScheme, $"{nameof(XeroOptions)}.{nameof(XeroOptions.WebhookKey)}", timeProvider: null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    protected override string? Secret => _options.Value.WebhookKey;

    /// <summary>
    /// Answers intent-to-receive: a body whose <c>events</c> list is empty gets 200 (empty body) when correctly signed
    /// and 401 otherwise. Any other delivery is not a handshake (<see langword="null"/>); a wrongly signed one is then
    /// refused with 401 by the receiver.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="verification">The signature check's verdict.</param>
    public WebhookResponse? Handshake(WebhookRequest request, WebhookVerification verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsEmptyDelivery(request.Body))
        {
            return null;
        }

        return verification.IsValid ? new WebhookResponse(200) : new WebhookResponse(401);
    }

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var document = WebhookJson.Parse(request.Body, "Xero");
        if (!PlatformJson.TryGet(document.RootElement, "events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("The Xero webhook body has no events list.");
        }

        var parsed = new List<WebhookEvent>();
        var i = 0;
        foreach (var e in events.EnumerateArray())
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"events[{i++}]");
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"The Xero webhook's {where} is not an object.");
            }

            var tenant = PlatformJson.Required(e, "tenantId", where);
            var category = PlatformJson.Required(e, "eventCategory", where);
            var type = PlatformJson.Required(e, "eventType", where);
            var resource = PlatformJson.Required(e, "resourceId", where);
            var date = PlatformJson.Required(e, "eventDateUtc", where);
            DateTimeOffset? at = DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
                ? d
                : null;
            parsed.Add(new WebhookEvent($"{tenant}:{category}:{resource}:{type}:{date}", $"{category}.{type}", e.GetRawText(), at));
        }

        return parsed;
    }

    private static bool IsEmptyDelivery(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && PlatformJson.TryGet(document.RootElement, "events", out var events)
                && events.ValueKind == JsonValueKind.Array && events.GetArrayLength() == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
