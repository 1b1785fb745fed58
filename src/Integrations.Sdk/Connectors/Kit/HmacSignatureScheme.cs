using System.Security.Cryptography;

namespace Integrations.Sdk.Connectors.Kit;

/// <summary>The hash of an HMAC signature.</summary>
public enum HmacHash
{
    /// <summary>HMAC-SHA256 (Stripe, Shopify, QuickBooks, HubSpot v3, Slack, Square, Xero, WooCommerce, Typeform, Asana).</summary>
    Sha256 = 0,

    /// <summary>HMAC-SHA1 (Trello).</summary>
    Sha1 = 1,
}

/// <summary>How the MAC is written in the header.</summary>
public enum SignatureEncoding
{
    /// <summary>Hexadecimal, either case.</summary>
    Hex = 0,

    /// <summary>Base64.</summary>
    Base64 = 1,
}

/// <summary>The unit of a signed timestamp.</summary>
public enum TimestampUnit
{
    /// <summary>Seconds since the Unix epoch.</summary>
    UnixSeconds = 0,

    /// <summary>Milliseconds since the Unix epoch.</summary>
    UnixMilliseconds = 1,
}

/// <summary>One part of the bytes a platform signs, in order: the raw body, the timestamp, the URL, the method or fixed text.</summary>
public sealed class SignedPart
{
    private readonly int _kind;
    private readonly string? _text;

    private SignedPart(int kind, string? text = null)
    {
        _kind = kind;
        _text = text;
    }

    /// <summary>The raw body bytes, never re-encoded.</summary>
    public static SignedPart Body { get; } = new(0);

    /// <summary>The timestamp as sent.</summary>
    public static SignedPart Timestamp { get; } = new(1);

    /// <summary>The full URL the platform called (as <see cref="HmacSignatureScheme.UrlText"/> writes it).</summary>
    public static SignedPart Url { get; } = new(2);

    /// <summary>The HTTP method, upper case.</summary>
    public static SignedPart Method { get; } = new(3);

    /// <summary>Fixed text, for example the <c>.</c> between Stripe's timestamp and body.</summary>
    /// <param name="text">The text, as UTF-8.</param>
    public static SignedPart Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SignedPart(4, text);
    }

    internal void Write(MemoryStream into, WebhookRequest request, string? timestamp, Func<Uri, string> urlText)
    {
        var text = _kind switch
        {
            0 => null,
            1 => timestamp ?? string.Empty,
            2 => urlText(request.Url),
            3 => request.Method.ToUpperInvariant(),
            _ => _text,
        };
        if (text is null)
        {
            into.Write(request.Body.Span);
        }
        else
        {
            into.Write(Encoding.UTF8.GetBytes(text));
        }
    }
}

/// <summary>
/// A platform's HMAC webhook signature, declared rather than coded: where the signature is, how it is encoded, what
/// bytes are signed, and whether a signed timestamp must be recent. <see cref="Verify"/> computes the MAC over the raw
/// body in constant time, accepts any of several signatures in a header, and explains a refusal naming the header at
/// fault without echoing a secret or the expected value.
/// </summary>
/// <example>
/// Stripe: <c>new HmacSignatureScheme { SignatureHeader = "Stripe-Signature", SignatureKey = "v1", TimestampKey = "t",
/// SignedContent = [SignedPart.Timestamp, SignedPart.Text("."), SignedPart.Body], Tolerance = TimeSpan.FromMinutes(5) }</c>.
/// </example>
public sealed class HmacSignatureScheme
{
    /// <summary>The header holding the signature (for example <c>X-Shopify-Hmac-Sha256</c>). Required.</summary>
    public required string SignatureHeader { get; init; }

    /// <summary>The hash. <value>Default: SHA-256.</value></summary>
    public HmacHash Hash { get; init; } = HmacHash.Sha256;

    /// <summary>How the MAC is written. <value>Default: hex.</value></summary>
    public SignatureEncoding Encoding { get; init; } = SignatureEncoding.Hex;

    /// <summary>A prefix before the MAC, for example Slack's <c>v0=</c> or Typeform's <c>sha256=</c>; none by default.</summary>
    public string? SignaturePrefix { get; init; }

    /// <summary>
    /// When the header is a comma-separated list of <c>key=value</c> pairs (Stripe's <c>t=…,v1=…,v1=…</c>), the key of
    /// the signatures; any of them may match. <see langword="null"/> when the whole header is one signature.
    /// </summary>
    public string? SignatureKey { get; init; }

    /// <summary>The key of the timestamp within that list (Stripe's <c>t</c>).</summary>
    public string? TimestampKey { get; init; }

    /// <summary>The header holding the signed timestamp (HubSpot's <c>X-HubSpot-Request-Timestamp</c>).</summary>
    public string? TimestampHeader { get; init; }

    /// <summary>The timestamp's unit. <value>Default: Unix seconds.</value></summary>
    public TimestampUnit TimestampUnit { get; init; } = TimestampUnit.UnixSeconds;

    /// <summary>
    /// How far a signed timestamp may be from now, either way, before the request is refused as a replay;
    /// <see langword="null"/> when the platform signs no timestamp.
    /// </summary>
    public TimeSpan? Tolerance { get; init; }

    /// <summary>The signed bytes, in order. <value>Default: the raw body alone.</value></summary>
    public IReadOnlyList<SignedPart> SignedContent { get; init; } = [SignedPart.Body];

    /// <summary>How the URL is written into the signed bytes. <value>Default: <see cref="Uri.AbsoluteUri"/>.</value></summary>
    public Func<Uri, string> UrlText { get; init; } = static url => url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString;

    /// <summary>What the secret is called in messages, for example <c>signing secret</c>. <value>Default: <c>secret</c>.</value></summary>
    public string SecretName { get; init; } = "secret";

    /// <summary>Verifies a request.</summary>
    /// <param name="request">The request as received.</param>
    /// <param name="secret">The signing secret (UTF-8 key).</param>
    /// <param name="now">The current time, for the timestamp check.</param>
    /// <param name="tolerance">Overrides <see cref="Tolerance"/> (a tolerance set in the connector's options).</param>
    /// <returns>Valid, or invalid with the reason.</returns>
    public WebhookVerification Verify(WebhookRequest request, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var header = request.Header(SignatureHeader);
        if (string.IsNullOrWhiteSpace(header))
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header is missing");
        }

        string? timestamp = null;
        string timestampSource;
        var signatures = new List<string>();
        if (SignatureKey is null)
        {
            signatures.Add(header.Trim());
            timestampSource = $"the {TimestampHeader} header";
        }
        else
        {
            timestampSource = $"the {SignatureHeader} header's timestamp";
            foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return WebhookVerification.Invalid($"the {SignatureHeader} header is malformed: '{Shorten(part)}' is not a key=value pair");
                }

                var key = part[..equals];
                if (key == TimestampKey)
                {
                    timestamp ??= part[(equals + 1)..];
                }
                else if (key == SignatureKey)
                {
                    signatures.Add(part[(equals + 1)..]);
                }
            }

            if (TimestampKey is not null && timestamp is null)
            {
                return WebhookVerification.Invalid($"the {SignatureHeader} header has no timestamp ({TimestampKey}=)");
            }
        }

        if (TimestampHeader is not null)
        {
            timestamp = request.Header(TimestampHeader);
            if (string.IsNullOrWhiteSpace(timestamp))
            {
                return WebhookVerification.Invalid($"the {TimestampHeader} header is missing");
            }
        }

        DateTimeOffset? signedAt = null;
        if (timestamp is not null)
        {
            if (ReadTimestamp(timestamp) is not { } at)
            {
                var unit = TimestampUnit == TimestampUnit.UnixSeconds ? "Unix seconds" : "milliseconds since the epoch";
                return WebhookVerification.Invalid($"{timestampSource} '{Shorten(timestamp)}' is not {unit}");
            }

            signedAt = at;
        }

        if (signatures.Count == 0)
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header has no {SignatureKey} signature");
        }

        var expected = Mac(secret, request, timestamp);
        var matched = false;
        foreach (var signature in signatures)
        {
            // Every candidate is compared, so the time taken does not tell which one matched.
            matched |= Matches(expected, signature);
        }

        if (!matched)
        {
            return WebhookVerification.Invalid(SignatureKey is null
                ? $"the {SignatureHeader} header does not match (wrong {SecretName}, or the signed request was altered)"
                : $"no {SignatureKey} signature of the {SignatureHeader} header matches the body (wrong {SecretName}, or the body was altered)");
        }

        if (signedAt is { } signed && (tolerance ?? Tolerance) is { } limit)
        {
            var age = now - signed;
            if (age > limit)
            {
                return WebhookVerification.Invalid($"{timestampSource} is {age.TotalSeconds:0} s old, beyond the {limit.TotalSeconds:0} s tolerance (a replay?)");
            }

            if (-age > limit)
            {
                return WebhookVerification.Invalid($"{timestampSource} is {(-age).TotalSeconds:0} s in the future, beyond the {limit.TotalSeconds:0} s tolerance (is the clock right?)");
            }
        }

        return WebhookVerification.Valid;
    }

    /// <summary>Computes the signature a request with this body (and timestamp) should carry, as the platform writes it.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="request">The request (its body, URL and method, as signed).</param>
    /// <param name="timestamp">The timestamp as sent, when signed.</param>
    public string Sign(string secret, WebhookRequest request, string? timestamp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(request);
        var mac = Mac(secret, request, timestamp);
        return (SignaturePrefix ?? string.Empty) + (Encoding == SignatureEncoding.Hex ? Convert.ToHexStringLower(mac) : Convert.ToBase64String(mac));
    }

    private byte[] Mac(string secret, WebhookRequest request, string? timestamp)
    {
        using var signed = new MemoryStream();
        foreach (var part in SignedContent)
        {
            part.Write(signed, request, timestamp, UrlText);
        }

        var key = System.Text.Encoding.UTF8.GetBytes(secret);
        var data = signed.GetBuffer().AsSpan(0, (int)signed.Length);
        return Hash == HmacHash.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
    }

    private bool Matches(byte[] expected, string signature)
    {
        var value = signature.Trim();
        if (SignaturePrefix is not null)
        {
            if (!value.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            {
                return false;
            }

            value = value[SignaturePrefix.Length..];
        }

        return Encoding == SignatureEncoding.Hex ? WebhookSignature.HexEquals(expected, value) : WebhookSignature.Base64Equals(expected, value);
    }

    private DateTimeOffset? ReadTimestamp(string text)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var max = TimestampUnit == TimestampUnit.UnixSeconds ? DateTimeOffset.MaxValue.ToUnixTimeSeconds() : DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        if (value > max)
        {
            return null;
        }

        return TimestampUnit == TimestampUnit.UnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(value) : DateTimeOffset.FromUnixTimeMilliseconds(value);
    }

    private static string Shorten(string text) => text.Length > 24 ? text[..24] + "..." : text;
}
