using System.Security.Cryptography;

namespace Integrations.Sdk.MailchimpMarketing.Webhooks;

/// <summary>
/// Receives Mailchimp list (audience) webhooks. Mailchimp does not sign them, so the URL you register carries a secret in
/// its query, <c>?secret=&lt;WebhookSecret&gt;</c> (<see cref="SecretParameter"/>), compared in constant time with
/// <see cref="MailchimpMarketingOptions.WebhookSecret"/>. The <c>GET</c> Mailchimp sends when the webhook is saved is
/// answered 200 when the secret matches (401 otherwise, so a wrong URL is refused at once). Deliveries are
/// <c>application/x-www-form-urlencoded</c> posts (<c>type</c>, <c>fired_at</c>, <c>data[email]</c>, <c>data[list_id]</c>,
/// <c>data[merges][FNAME]</c>...): each becomes one <see cref="WebhookEvent"/> whose payload is the same fields as nested JSON
/// (<c>{"type","fired_at","data":{"email","list_id","merges":{"FNAME"}}}</c>, all values strings). Mailchimp sends no event id:
/// the id is <see cref="EventIdOf"/>, stable across redeliveries of the same event.
/// </summary>
public sealed class MailchimpListWebhookSource : IWebhookSource, IWebhookHandshake
{
    /// <summary>The query parameter of the webhook URL that carries the secret: <c>secret</c>.</summary>
    public const string SecretParameter = "secret";

    private const string SecretSetting = $"{nameof(MailchimpMarketingOptions)}.{nameof(MailchimpMarketingOptions.WebhookSecret)}";

    private readonly IOptions<MailchimpMarketingOptions> _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; the secret is read on each request.</param>
    public MailchimpListWebhookSource(IOptions<MailchimpMarketingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => MailchimpMarketingConnector.ConnectorName;

    /// <summary>
    /// Checks the URL's <c>secret</c> query parameter against <see cref="MailchimpMarketingOptions.WebhookSecret"/>, in
    /// constant time; the failure names the parameter, never its value or the expected one.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <remarks>When <see cref="MailchimpMarketingOptions.WebhookSecret"/> is not configured, every request is refused, with a reason saying so.</remarks>
    public WebhookVerification Verify(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = _options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(expected))
        {
            // Refused (401), not a server error: nothing is stored until the secret is configured, and the reason is logged.
            return WebhookVerification.Invalid(
                $"{SecretSetting} is not configured, so the '{SecretParameter}' query parameter of Mailchimp list webhooks cannot be checked: set it to receive webhooks");
        }

        var given = FormFields(request.Url.Query.TrimStart('?')).Where(p => p.Key == SecretParameter).Select(p => p.Value).ToList();
        if (given.Count != 1)
        {
            return WebhookVerification.Invalid(given.Count == 0
                ? $"the webhook URL has no '{SecretParameter}' query parameter"
                : $"the webhook URL has '{SecretParameter}' more than once");
        }

        // Hashing first makes the comparison constant-time whatever the lengths.
        var match = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given[0])), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        return match ? WebhookVerification.Valid : WebhookVerification.Invalid($"the '{SecretParameter}' query parameter does not match {SecretSetting}");
    }

    /// <summary>Answers Mailchimp's check of the URL (a <c>GET</c>, or <c>HEAD</c>): 200 when the secret matches, else 401. A <c>POST</c> is a delivery.</summary>
    /// <param name="request">The request.</param>
    /// <param name="verification">The secret's check.</param>
    public WebhookResponse? Handshake(WebhookRequest request, WebhookVerification verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Get.Method && request.Method != HttpMethod.Head.Method)
        {
            return null;
        }

        return verification.IsValid ? new WebhookResponse(200) : new WebhookResponse(401, "invalid webhook secret: " + verification.Failure);
    }

    /// <summary>Parses a delivery's form fields into one event (see the class remarks for the payload and <see cref="EventIdOf"/> for its id).</summary>
    /// <param name="request">The verified delivery.</param>
    /// <exception cref="FormatException">A required field (<c>type</c>, <c>fired_at</c>, <c>data[list_id]</c>) is missing or <c>fired_at</c> is not a date; the message names it.</exception>
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = FormFields(Encoding.UTF8.GetString(request.Body.Span)).ToList();
        var root = new JsonObject();
        foreach (var (key, value) in fields)
        {
            Place(root, key, value);
        }

        var type = Field(fields, "type") ?? throw new FormatException("The Mailchimp webhook has no 'type' field.");
        var firedAt = Field(fields, "fired_at") ?? throw new FormatException("The Mailchimp webhook has no 'fired_at' field.");
        if (Field(fields, "data[list_id]") is null)
        {
            throw new FormatException("The Mailchimp webhook has no 'data[list_id]' field.");
        }

        if (!DateTime.TryParseExact(firedAt, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new FormatException($"The Mailchimp webhook's 'fired_at' is '{firedAt}', not a date 'yyyy-MM-dd HH:mm:ss'.");
        }

        return [new WebhookEvent(EventIdOf(fields), type, root.ToJsonString(), new DateTimeOffset(at, TimeSpan.Zero))];
    }

    /// <summary>
    /// The id of a delivery, which Mailchimp does not give: <c>{type}:{list_id}:{subject}:{fired_at}</c>, where the subject
    /// is the member's subscriber hash (of <c>data[email]</c>, else <c>data[id]</c>) for member events, the old and new
    /// hashes (<c>old&gt;new</c>) for <c>upemail</c>, and the campaign id for <c>campaign</c>. A redelivery of the same event
    /// has the same id, so the inbox stores it once; two changes of a member in the same second of the same type are one.
    /// </summary>
    /// <param name="fields">The delivery's form fields.</param>
    public static string EventIdOf(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var list = fields.ToList();
        var type = Field(list, "type") ?? string.Empty;
        var subject = type switch
        {
            "campaign" => Field(list, "data[id]") ?? string.Empty,
            "upemail" => $"{HashOrEmpty(Field(list, "data[old_email]"))}>{HashOrEmpty(Field(list, "data[new_email]"))}",
            _ => Field(list, "data[email]") is { } email ? MailchimpMarketingConnector.SubscriberHash(email) : Field(list, "data[id]") ?? string.Empty,
        };
        return $"{type}:{Field(list, "data[list_id]")}:{subject}:{(Field(list, "fired_at") ?? string.Empty).Replace(' ', 'T')}";
    }

    /// <summary>Splits <c>application/x-www-form-urlencoded</c> text into its fields, decoded (<c>+</c> is a space).</summary>
    internal static IEnumerable<KeyValuePair<string, string>> FormFields(string text)
    {
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : WebUtility.UrlDecode(pair[(equals + 1)..]);
            yield return new KeyValuePair<string, string>(key, value);
        }
    }

    private static string HashOrEmpty(string? email) => string.IsNullOrWhiteSpace(email) ? string.Empty : MailchimpMarketingConnector.SubscriberHash(email);

    private static string? Field(List<KeyValuePair<string, string>> fields, string name) =>
        fields.LastOrDefault(p => p.Key == name).Value is { Length: > 0 } value ? value : null;

    /// <summary>Puts <c>a[b][c]=v</c> at <c>root.a.b.c</c>; a key whose path is taken by a value is kept flat.</summary>
    private static void Place(JsonObject root, string key, string value)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || !key.EndsWith(']'))
        {
            root[key] = value;
            return;
        }

        var path = new List<string> { key[..open] };
        path.AddRange(key[(open + 1)..^1].Split("]["));
        var node = root;
        foreach (var segment in path.SkipLast(1))
        {
            if (node[segment] is JsonObject child)
            {
                node = child;
            }
            else if (node[segment] is null)
            {
                var created = new JsonObject();
                node[segment] = created;
                node = created;
            }
            else
            {
                root[key] = value;
                return;
            }
        }

        node[path[^1]] = value;
    }
}
