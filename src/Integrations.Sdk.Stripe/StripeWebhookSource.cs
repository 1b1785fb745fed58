using System.Globalization;
using System.Text;
using System.Text.Json;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Stripe.Models;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Stripe;

/// <summary>
/// Receives Stripe webhooks. Verifies <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=...]</c>: the signed
/// bytes are <c>"{t}.{raw body}"</c>, the MAC is HMAC-SHA256 with the endpoint's <c>whsec_...</c> secret in hex, any
/// <c>v1</c> may match (Stripe sends several while a secret is being rolled), compared in constant time; the timestamp
/// must be within <see cref="StripeOptions.WebhookTolerance"/> of now, either way. Each request carries one event,
/// keyed by its <c>evt_...</c> id.
/// </summary>
public sealed class StripeWebhookSource : IWebhookSource
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "Stripe-Signature";

    private readonly IOptions<StripeOptions> _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; the secret and tolerance are read on each verification.</param>
    /// <param name="timeProvider">The clock timestamps are checked against.</param>
    public StripeWebhookSource(IOptions<StripeOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
    }

    /// <inheritdoc />
    public string Name => StripeConnector.ConnectorName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="StripeOptions.WebhookSecret"/> is not configured.</exception>
    public WebhookVerification Verify(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _options.Value;
        var secret = options.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException(
                $"Stripe: {nameof(StripeOptions.WebhookSecret)} is not configured; set it to the endpoint's signing secret (whsec_...) to receive webhooks.");
        }

        var header = request.Header(SignatureHeader);
        if (string.IsNullOrWhiteSpace(header))
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header is missing");
        }

        string? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return WebhookVerification.Invalid($"the {SignatureHeader} header is malformed: '{Shorten(part)}' is not a key=value pair");
            }

            var key = part[..equals];
            var value = part[(equals + 1)..];
            if (key == "t")
            {
                timestamp ??= value;
            }
            else if (key == "v1")
            {
                signatures.Add(value);
            }

            // Other schemes (v0, the test-mode scheme) are ignored, as Stripe's libraries do.
        }

        if (timestamp is null)
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header has no timestamp (t=)");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header's timestamp t='{Shorten(timestamp)}' is not Unix seconds");
        }

        if (signatures.Count == 0)
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header has no v1 signature");
        }

        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + request.Body.Length];
        prefix.CopyTo(signed, 0);
        request.Body.Span.CopyTo(signed.AsSpan(prefix.Length));
        var expected = WebhookSignature.HmacSha256(secret, signed);
        var matched = false;
        foreach (var signature in signatures)
        {
            // Every candidate is compared, so the time taken does not tell which one matched.
            matched |= WebhookSignature.HexEquals(expected, signature);
        }

        if (!matched)
        {
            return WebhookVerification.Invalid($"no v1 signature of the {SignatureHeader} header matches the body (wrong signing secret, or the body was altered)");
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age > options.WebhookTolerance)
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header's timestamp is {age.TotalSeconds:0} s old, beyond the {options.WebhookTolerance.TotalSeconds:0} s tolerance (a replay?)");
        }

        if (-age > options.WebhookTolerance)
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header's timestamp is {(-age).TotalSeconds:0} s in the future, beyond the {options.WebhookTolerance.TotalSeconds:0} s tolerance (is the clock right?)");
        }

        return WebhookVerification.Valid;
    }

    /// <inheritdoc />
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stripeEvent = ReadEvent(request.Body.Span);
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

    private static StripeEvent ReadEvent(ReadOnlySpan<byte> body)
    {
        JsonElement root;
        using (var document = WebhookJson.Parse(body.ToArray(), "Stripe"))
        {
            root = document.RootElement.Clone();
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The Stripe webhook body is not a JSON object (an event).");
        }

        var id = RequiredString(root, "id");
        var type = RequiredString(root, "type");
        if (!root.TryGetProperty("created", out var created) || created.ValueKind != JsonValueKind.Number || !created.TryGetInt64(out _))
        {
            throw new FormatException("The Stripe event's created is missing or not Unix seconds.");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The Stripe event {id}: data.object is missing or not an object.");
        }

        try
        {
            var stripeEvent = root.Deserialize<StripeEvent>(StripeJson.Options) ?? throw new FormatException("The Stripe event is null.");
            stripeEvent.Id = id;
            stripeEvent.Type = type;
            return stripeEvent;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The Stripe event {id} has a field of the wrong type ({ex.Path}): {ex.Message}", ex);
        }
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"The Stripe event's {name} is missing or not a string.");

    private static string Shorten(string text) => text.Length > 24 ? text[..24] + "..." : text;
}
