namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// Receives QuickBooks Online webhooks signed in <c>intuit-signature</c> with the app's verifier token: legacy
/// (<c>eventNotifications</c>, one event per entity keyed <c>realmId:entity:id:lastUpdated</c>) and CloudEvents (keyed
/// by <c>id</c>), both typed CloudEvents-style: <c>qbo.invoice.created.v1</c>.
/// </summary>
/// <param name="options">The connector's options; <see cref="QuickBooksOptions.WebhookVerifierToken"/> is read on each verification.</param>
/// <param name="timeProvider">The clock; the system clock by default.</param>
public sealed class QuickBooksWebhookSource(IOptions<QuickBooksOptions> options, TimeProvider? timeProvider = null)
    : HmacWebhookSource(QuickBooksConnector.ConnectorName, SignatureScheme, "QuickBooksOptions.WebhookVerifierToken", timeProvider)
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "intuit-signature";

    private static readonly HmacSignatureScheme SignatureScheme = new()
    {
        SignatureHeader = SignatureHeader,
        Encoding = SignatureEncoding.Base64,
        SecretName = "verifier token",
    };

    private readonly IOptions<QuickBooksOptions> _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    protected override string? Secret => _options.Value.WebhookVerifierToken;

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var document = WebhookJson.Parse(request.Body, QuickBooksConnector.DisplayName);
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Array => [.. root.EnumerateArray().Select((e, i) => ParseCloudEvent(e, $"[{i}]"))],
            JsonValueKind.Object when root.TryGetProperty("eventNotifications", out var notifications) => ParseLegacy(notifications),
            JsonValueKind.Object when root.TryGetProperty("specversion", out _) || root.TryGetProperty("type", out _) => [ParseCloudEvent(root, "the event")],
            _ => throw new FormatException("The QuickBooks webhook body is neither legacy (an object with eventNotifications) nor CloudEvents (an array of events, or one event with id and type)."),
        };
    }

    /// <summary>Reads the change an event of this source describes.</summary>
    /// <param name="webhookEvent">An event returned by <see cref="Parse"/>.</param>
    /// <exception cref="FormatException">The payload is not one this source produced.</exception>
    public static QuickBooksChange ReadChange(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        try
        {
            return JsonSerializer.Deserialize<QuickBooksChange>(webhookEvent.Payload, PlatformJson.CamelCase) ?? throw new FormatException("The event's payload is null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The event's payload is not a QuickBooks change: {ex.Message}", ex);
        }
    }

    private static List<WebhookEvent> ParseLegacy(JsonElement notifications)
    {
        if (notifications.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("eventNotifications must be an array.");
        }

        var events = new List<WebhookEvent>();
        foreach (var (notification, n) in notifications.EnumerateArray().Select((x, n) => (x, n)))
        {
            var at = $"eventNotifications[{n}]";
            var realmId = PlatformJson.Required(Object(notification, at), "realmId", at);
            if (!PlatformJson.TryGet(notification, "dataChangeEvent", out var change)
                || !PlatformJson.TryGet(change, "entities", out var entities) || entities.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{at}.dataChangeEvent.entities is missing or not an array.");
            }

            foreach (var (entity, e) in entities.EnumerateArray().Select((x, e) => (x, e)))
            {
                var where = $"{at}.dataChangeEvent.entities[{e}]";
                var name = PlatformJson.Required(Object(entity, where), "name", where);
                var id = PlatformJson.Required(entity, "id", where);
                var operation = PastTense(PlatformJson.Required(entity, "operation", where));
                var lastUpdated = PlatformJson.Required(entity, "lastUpdated", where);
                var occurredAt = ParseTime(lastUpdated, $"{where}.lastUpdated");
                var payload = new QuickBooksChange("legacy", realmId, name.ToLowerInvariant(), id, operation, occurredAt, PlatformJson.Text(entity, "deletedId"));
                events.Add(new WebhookEvent(
                    $"{realmId}:{name}:{id}:{lastUpdated}", $"qbo.{name.ToLowerInvariant()}.{operation}.v1", JsonSerializer.Serialize(payload, PlatformJson.CamelCase), occurredAt));
            }
        }

        return events;
    }

    private static WebhookEvent ParseCloudEvent(JsonElement element, string at)
    {
        var id = PlatformJson.Required(Object(element, $"CloudEvent {at}"), "id", at);
        var type = PlatformJson.Required(element, "type", at);
        var occurredAt = PlatformJson.Text(element, "time") is { } time ? ParseTime(time, $"{at}.time") : (DateTimeOffset?)null;

        // qbo.<entity>.<operation>.v<N>
        var parts = type.Split('.');
        var qbo = parts.Length >= 3 && parts[0] == "qbo";
        var deletedId = PlatformJson.TryGet(element, "data", out var data) ? PlatformJson.Text(data, "deletedid") ?? PlatformJson.Text(data, "deletedId") : null;
        var payload = new QuickBooksChange(
            "cloudevents", PlatformJson.Text(element, "intuitaccountid"), qbo ? parts[1] : null, PlatformJson.Text(element, "intuitentityid"), qbo ? parts[2] : null, occurredAt, deletedId);
        return new WebhookEvent(id, type, JsonSerializer.Serialize(payload, PlatformJson.CamelCase), occurredAt);
    }

    private static JsonElement Object(JsonElement element, string at) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new FormatException($"{at} must be an object.");

    private static string PastTense(string operation) => operation.ToLowerInvariant() switch
    {
        "create" => "created",
        "update" => "updated",
        "delete" => "deleted",
        "merge" => "merged",
        "void" => "voided",
        var other => other,
    };

    // QuickBooks writes offsets with and without a colon: 2015-10-05T14:42:19-0700 and 2025-12-04T15:25:05Z.
    private static DateTimeOffset ParseTime(string text, string field) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new FormatException($"{field} is not a date and time: '{text}'.");
}
