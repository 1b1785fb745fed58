namespace Integrations.Sdk.Connectors;

/// <summary>One event carried by a webhook request.</summary>
/// <param name="EventId">The platform's event id (or a composite key where the platform has none): the dedupe key.</param>
/// <param name="EventType">The platform's event type or topic, for example <c>invoice.payment_failed</c>.</param>
/// <param name="Payload">The event's JSON.</param>
/// <param name="OccurredAt">When the platform says the event happened, if it says.</param>
public sealed record WebhookEvent(string EventId, string EventType, string Payload, DateTimeOffset? OccurredAt);
