using System.Globalization;
using System.Text;
using System.Text.Json;
using Integrations.Sdk.Connectors;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.HubSpot;

/// <summary>
/// Receives HubSpot webhooks (signature v3). Verifies <c>X-HubSpot-Signature-v3</c> = Base64(HMAC-SHA256(client
/// secret, method + URI + raw body + <c>X-HubSpot-Request-Timestamp</c>)), compared in constant time, and refuses a
/// timestamp (milliseconds since the epoch) further than <see cref="HubSpotOptions.WebhookTolerance"/> from now. The
/// body is a JSON array of events; each becomes one <see cref="WebhookEvent"/> keyed by its <c>eventId</c>, typed by
/// its <c>subscriptionType</c> (for example <c>contact.propertyChange</c>), with <c>occurredAt</c> as its time and
/// the element's JSON as its payload.
/// </summary>
public sealed class HubSpotWebhookSource : IWebhookSource
{
    /// <summary>The v3 signature header.</summary>
    public const string SignatureHeader = "X-HubSpot-Signature-v3";

    /// <summary>The timestamp header (milliseconds since the Unix epoch), part of the signed text.</summary>
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";

    /// <summary>The escapes HubSpot decodes in the URI before signing it.</summary>
    private static readonly (string Escape, string Character)[] DecodedEscapes =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    private readonly IOptions<HubSpotOptions> _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; the client secret and tolerance are read on each verification.</param>
    /// <param name="timeProvider">The clock timestamps are checked against; the system clock by default.</param>
    public HubSpotWebhookSource(IOptions<HubSpotOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => HubSpotConnector.ConnectorName;

    /// <summary>The text HubSpot signs: method + URI (with HubSpot's escapes decoded) + body + timestamp, as UTF-8.</summary>
    /// <param name="method">The HTTP method, for example <c>POST</c>.</param>
    /// <param name="url">The full URL HubSpot called.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="timestamp">The <c>X-HubSpot-Request-Timestamp</c> value.</param>
    public static byte[] SignedBytes(string method, Uri url, ReadOnlySpan<byte> body, string timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(timestamp);
        var uri = url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString;
        foreach (var (escape, character) in DecodedEscapes)
        {
            uri = uri.Replace(escape, character, StringComparison.OrdinalIgnoreCase);
        }

        var head = Encoding.UTF8.GetBytes(method.ToUpperInvariant() + uri);
        var tail = Encoding.UTF8.GetBytes(timestamp);
        var bytes = new byte[head.Length + body.Length + tail.Length];
        head.CopyTo(bytes, 0);
        body.CopyTo(bytes.AsSpan(head.Length));
        tail.CopyTo(bytes, head.Length + body.Length);
        return bytes;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="HubSpotOptions.ClientSecret"/> is not configured.</exception>
    public WebhookVerification Verify(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _options.Value;
        var secret = options.ClientSecret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException(
                $"HubSpot: {nameof(HubSpotOptions.ClientSecret)} is not configured; set it to the app's client secret to receive webhooks.");
        }

        var signature = request.Header(SignatureHeader);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header is missing");
        }

        var timestamp = request.Header(TimestampHeader);
        if (string.IsNullOrWhiteSpace(timestamp))
        {
            return WebhookVerification.Invalid($"the {TimestampHeader} header is missing");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return WebhookVerification.Invalid($"the {TimestampHeader} header is not milliseconds since the epoch");
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (age.Duration() > options.WebhookTolerance)
        {
            return WebhookVerification.Invalid($"the {TimestampHeader} header is {age.Duration():g} away from now, beyond the tolerance of {options.WebhookTolerance:g} (a replay, or a skewed clock)");
        }

        var expected = WebhookSignature.HmacSha256(secret, SignedBytes(request.Method, request.Url, request.Body.Span, timestamp));
        return WebhookSignature.Base64Equals(expected, signature)
            ? WebhookVerification.Valid
            : WebhookVerification.Invalid($"the {SignatureHeader} header does not match (wrong client secret, or the method, URI, body or timestamp was altered)");
    }

    /// <inheritdoc />
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (var document = WebhookJson.Parse(request.Body, "HubSpot"))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"The HubSpot webhook body must be a JSON array of events, not {root.ValueKind}.");
            }

            var events = new List<WebhookEvent>();
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                var at = $"[{i++}]";
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"Event {at} must be an object.");
                }

                var eventId = Required(element, "eventId", at);
                var type = Required(element, "subscriptionType", at);
                DateTimeOffset? occurredAt = null;
                if (element.TryGetProperty("occurredAt", out var occurred) && occurred.ValueKind != JsonValueKind.Null)
                {
                    occurredAt = occurred.ValueKind == JsonValueKind.Number && occurred.TryGetInt64(out var ms)
                        && ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                        ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                        : throw new FormatException($"{at}.occurredAt must be milliseconds since the epoch.");
                }

                events.Add(new WebhookEvent(eventId, type, element.GetRawText(), occurredAt));
            }

            return events;
        }
    }

    private static string Required(JsonElement element, string name, string at)
    {
        if (element.TryGetProperty(name, out var value))
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
            if (!string.IsNullOrEmpty(text))
            {
                return text;
            }
        }

        throw new FormatException($"{at}.{name} is missing or empty.");
    }
}
