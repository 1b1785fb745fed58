namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// One change a QuickBooks webhook reports, in one shape for both payload formats: the <see cref="WebhookEvent.Payload"/>
/// of each event (see <see cref="QuickBooksWebhookSource.ReadChange"/>). Webhooks only name what changed: fetch the
/// entity, and reconcile with a periodic query, since deliveries can be late, repeated or out of order.
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
