namespace Integrations.Sdk.HubSpot;

/// <summary>
/// Receives HubSpot webhooks (signature v3, <see cref="V3"/>). The body is a JSON array of events; each becomes one
/// <see cref="WebhookEvent"/> keyed by its <c>eventId</c>, typed by its <c>subscriptionType</c>, at its <c>occurredAt</c>.
/// </summary>
/// <param name="options">The connector's options; the client secret and tolerance are read on each verification.</param>
/// <param name="timeProvider">The clock timestamps are checked against; the system clock by default.</param>
public sealed class HubSpotWebhookSource(IOptions<HubSpotOptions> options, TimeProvider? timeProvider = null)
    : HmacWebhookSource(HubSpotConnector.ConnectorName, V3, $"{nameof(HubSpotOptions)}.{nameof(HubSpotOptions.ClientSecret)}", timeProvider)
{
    /// <summary>The v3 signature header.</summary>
    public const string SignatureHeader = "X-HubSpot-Signature-v3";

    /// <summary>The timestamp header (milliseconds since the Unix epoch), part of the signed text.</summary>
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";

    /// <summary>
    /// Base64(HMAC-SHA256(client secret, method + URI (HubSpot's escapes decoded) + raw body + timestamp)), the
    /// timestamp within <see cref="HubSpotOptions.WebhookTolerance"/> of now.
    /// </summary>
    public static readonly HmacSignatureScheme V3 = new()
    {
        SignatureHeader = SignatureHeader,
        Encoding = SignatureEncoding.Base64,
        TimestampHeader = TimestampHeader,
        TimestampUnit = TimestampUnit.UnixMilliseconds,
        SignedContent = [SignedPart.Method, SignedPart.Url, SignedPart.Body, SignedPart.Timestamp],
        UrlText = SignedUri,
        SecretName = "client secret",
    };

    /// <summary>The escapes HubSpot decodes in the URI before signing it.</summary>
    private static readonly string[] DecodedEscapes = ["%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B"];

    private readonly IOptions<HubSpotOptions> _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    protected override string? Secret => _options.Value.ClientSecret;

    /// <inheritdoc />
    protected override TimeSpan? Tolerance => _options.Value.WebhookTolerance;

    /// <summary>The bytes HubSpot signs (as <see cref="V3"/> builds them), for test signers.</summary>
    /// <param name="method">The HTTP method, for example <c>POST</c>.</param>
    /// <param name="url">The full URL HubSpot called.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="timestamp">The <c>X-HubSpot-Request-Timestamp</c> value.</param>
    public static byte[] SignedBytes(string method, Uri url, ReadOnlySpan<byte> body, string timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(timestamp);
        return [.. Encoding.UTF8.GetBytes(method.ToUpperInvariant() + SignedUri(url)), .. body, .. Encoding.UTF8.GetBytes(timestamp)];
    }

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var document = WebhookJson.Parse(request.Body, "HubSpot");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"The HubSpot webhook body must be a JSON array of events, not {root.ValueKind}.");
        }

        var events = new List<WebhookEvent>();
        foreach (var element in root.EnumerateArray())
        {
            var at = $"[{events.Count}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Event {at} must be an object.");
            }

            var eventId = PlatformJson.Required(element, "eventId", at);
            var type = PlatformJson.Required(element, "subscriptionType", at);
            DateTimeOffset? occurredAt = null;
            if (element.TryGetProperty("occurredAt", out var occurred) && occurred.ValueKind != JsonValueKind.Null)
            {
                occurredAt = occurred.ValueKind == JsonValueKind.Number && occurred.TryGetInt64(out var ms) && ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                    ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                    : throw new FormatException($"{at}.occurredAt must be milliseconds since the epoch.");
            }

            events.Add(new WebhookEvent(eventId, type, element.GetRawText(), occurredAt));
        }

        return events;
    }

    private static string SignedUri(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var uri = url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString;
        return DecodedEscapes.Aggregate(uri, (text, escape) => text.Replace(escape, Uri.UnescapeDataString(escape), StringComparison.OrdinalIgnoreCase));
    }
}
