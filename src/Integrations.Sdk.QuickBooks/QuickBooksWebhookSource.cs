using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Integrations.Sdk.Connectors;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// One change a QuickBooks webhook reports, in one shape for both payload formats. It is the
/// <see cref="WebhookEvent.Payload"/> of each event (read it back with <see cref="QuickBooksWebhookSource.ReadChange"/>).
/// Webhooks only name what changed: fetch the entity itself, and reconcile with a periodic query, since deliveries can
/// be late, repeated or out of order.
/// </summary>
/// <param name="Format"><c>legacy</c> (<c>eventNotifications</c>) or <c>cloudevents</c>.</param>
/// <param name="RealmId">The company the change happened in.</param>
/// <param name="Entity">The entity, lower case: <c>invoice</c>, <c>customer</c>, <c>salesreceipt</c>...</param>
/// <param name="EntityId">The changed entity's id.</param>
/// <param name="Operation">What happened, lower case and past tense: <c>created</c>, <c>updated</c>, <c>deleted</c>, <c>merged</c>, <c>voided</c>, <c>emailed</c>.</param>
/// <param name="OccurredAt">When it happened (<c>lastUpdated</c> or <c>time</c>); the later change wins.</param>
/// <param name="DeletedId">For a merge, the id of the entity merged away, when QuickBooks says.</param>
public sealed record QuickBooksChange(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("realmId")] string? RealmId,
    [property: JsonPropertyName("entity")] string? Entity,
    [property: JsonPropertyName("entityId")] string? EntityId,
    [property: JsonPropertyName("operation")] string? Operation,
    [property: JsonPropertyName("occurredAt")] DateTimeOffset? OccurredAt,
    [property: JsonPropertyName("deletedId")] string? DeletedId);

/// <summary>
/// Receives QuickBooks Online webhooks. Verifies <c>intuit-signature</c> (Base64 HMAC-SHA256 of the raw body with the
/// app's verifier token, compared in constant time) and parses both payload formats: the legacy
/// <c>{ "eventNotifications": [...] }</c>, one event per changed entity, keyed
/// <c>realmId:entity:id:lastUpdated</c> since it carries no event id; and CloudEvents (an array or a single object),
/// keyed by the event's <c>id</c>. Event types are CloudEvents-style for both: <c>qbo.invoice.created.v1</c>.
/// </summary>
public sealed class QuickBooksWebhookSource : IWebhookSource
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "intuit-signature";

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IOptions<QuickBooksOptions> _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; <see cref="QuickBooksOptions.WebhookVerifierToken"/> is read on each verification.</param>
    public QuickBooksWebhookSource(IOptions<QuickBooksOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => QuickBooksConnector.ConnectorName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="QuickBooksOptions.WebhookVerifierToken"/> is not configured.</exception>
    public WebhookVerification Verify(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = _options.Value.WebhookVerifierToken;
        if (string.IsNullOrEmpty(token))
        {
            throw new InvalidOperationException(
                $"QuickBooks: {nameof(QuickBooksOptions.WebhookVerifierToken)} is not configured; set it to the verifier token of the app's webhook subscription to receive webhooks.");
        }

        var signature = request.Header(SignatureHeader);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return WebhookVerification.Invalid($"the {SignatureHeader} header is missing");
        }

        var expected = WebhookSignature.HmacSha256(token, request.Body.Span);
        return WebhookSignature.Base64Equals(expected, signature)
            ? WebhookVerification.Valid
            : WebhookVerification.Invalid($"the {SignatureHeader} header does not match the body (wrong verifier token, or the body was altered)");
    }

    /// <inheritdoc />
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (var document = WebhookJson.Parse(request.Body, "QuickBooks"))
        {
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Array => [.. root.EnumerateArray().Select((e, i) => ParseCloudEvent(e, $"[{i}]"))],
                JsonValueKind.Object when root.TryGetProperty("eventNotifications", out var notifications) => ParseLegacy(notifications),
                JsonValueKind.Object when root.TryGetProperty("specversion", out _) || root.TryGetProperty("type", out _) => [ParseCloudEvent(root, "the event")],
                _ => throw new FormatException("The QuickBooks webhook body is neither legacy (an object with eventNotifications) nor CloudEvents (an array of events, or one event with id and type)."),
            };
        }
    }

    /// <summary>Reads the change an event of this source describes.</summary>
    /// <param name="webhookEvent">An event returned by <see cref="Parse"/>.</param>
    /// <exception cref="FormatException">The payload is not one this source produced.</exception>
    public static QuickBooksChange ReadChange(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        try
        {
            return JsonSerializer.Deserialize<QuickBooksChange>(webhookEvent.Payload, PayloadJson)
                ?? throw new FormatException("The event's payload is null.");
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
        var n = 0;
        foreach (var notification in notifications.EnumerateArray())
        {
            var at = $"eventNotifications[{n++}]";
            if (notification.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{at} must be an object.");
            }

            var realmId = RequiredString(notification, "realmId", at);
            if (!notification.TryGetProperty("dataChangeEvent", out var change) || change.ValueKind != JsonValueKind.Object
                || !change.TryGetProperty("entities", out var entities) || entities.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{at}.dataChangeEvent.entities is missing or not an array.");
            }

            var e = 0;
            foreach (var entity in entities.EnumerateArray())
            {
                var where = $"{at}.dataChangeEvent.entities[{e++}]";
                if (entity.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{where} must be an object.");
                }

                var name = RequiredString(entity, "name", where);
                var id = RequiredString(entity, "id", where);
                var operation = RequiredString(entity, "operation", where);
                var lastUpdated = RequiredString(entity, "lastUpdated", where);
                var occurredAt = ParseTime(lastUpdated, $"{where}.lastUpdated");
                var past = PastTense(operation);
                var payload = new QuickBooksChange("legacy", realmId, name.ToLowerInvariant(), id, past, occurredAt, OptionalString(entity, "deletedId"));
                events.Add(new WebhookEvent(
                    $"{realmId}:{name}:{id}:{lastUpdated}",
                    $"qbo.{name.ToLowerInvariant()}.{past}.v1",
                    JsonSerializer.Serialize(payload, PayloadJson),
                    occurredAt));
            }
        }

        return events;
    }

    private static WebhookEvent ParseCloudEvent(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"CloudEvent {at} must be an object.");
        }

        var id = RequiredString(element, "id", at);
        var type = RequiredString(element, "type", at);
        var time = OptionalString(element, "time");
        var occurredAt = time is null ? (DateTimeOffset?)null : ParseTime(time, $"{at}.time");

        // qbo.<entity>.<operation>.v<N>
        var parts = type.Split('.');
        var entity = parts.Length >= 3 && parts[0] == "qbo" ? parts[1] : null;
        var operation = parts.Length >= 3 && parts[0] == "qbo" ? parts[2] : null;
        string? deletedId = null;
        if (element.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            deletedId = OptionalString(data, "deletedid") ?? OptionalString(data, "deletedId");
        }

        var payload = new QuickBooksChange("cloudevents", OptionalString(element, "intuitaccountid"), entity, OptionalString(element, "intuitentityid"), operation, occurredAt, deletedId);
        return new WebhookEvent(id, type, JsonSerializer.Serialize(payload, PayloadJson), occurredAt);
    }

    private static string PastTense(string operation) => operation.ToLowerInvariant() switch
    {
        "create" => "created",
        "update" => "updated",
        "delete" => "deleted",
        "merge" => "merged",
        "void" => "voided",
        "emailed" => "emailed",
        var other => other,
    };

    private static DateTimeOffset ParseTime(string text, string field)
    {
        // QuickBooks writes offsets with and without a colon: 2015-10-05T14:42:19-0700 and 2025-12-04T15:25:05Z.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        throw new FormatException($"{field} is not a date and time: '{text}'.");
    }

    private static string RequiredString(JsonElement element, string name, string at) =>
        OptionalString(element, name) is { Length: > 0 } value
            ? value
            : throw new FormatException($"{at}.{name} is missing or empty.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
