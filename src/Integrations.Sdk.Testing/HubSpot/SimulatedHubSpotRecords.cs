namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>A CRM object held by the <see cref="HubSpotSimulator"/>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Properties">Its properties, as strings (HubSpot's wire form).</param>
/// <param name="CreatedAt">When it was created, on the simulator's clock.</param>
/// <param name="UpdatedAt">When it last changed, on the simulator's clock.</param>
/// <param name="ContactIds">For a task, the contacts it is associated with; empty otherwise.</param>
public sealed record SimulatedHubSpotObject(
    string Id,
    IReadOnlyDictionary<string, string?> Properties,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> ContactIds)
{
    /// <summary>When it was archived (<c>DELETE /crm/v3/objects/{type}/{id}</c>); <see langword="null"/> while it is live.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>A property's value, or <see langword="null"/>.</summary>
    /// <param name="name">The property's internal name.</param>
    public string? this[string name] => Properties.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A property value an integration most likely did not mean to write (see <see cref="HubSpotSimulator.FlaggedPropertyValues"/>).</summary>
/// <param name="ObjectType"><c>contacts</c>, <c>tasks</c> or <c>deals</c>.</param>
/// <param name="ObjectId">The object's id.</param>
/// <param name="Property">The property's name.</param>
/// <param name="Value">The value written.</param>
/// <param name="Reason">Why it is flagged.</param>
public sealed record FlaggedPropertyValue(string ObjectType, string ObjectId, string Property, string Value, string Reason);

/// <summary>One event of a simulated HubSpot webhook delivery.</summary>
/// <param name="SubscriptionType">For example <c>contact.creation</c>, <c>contact.propertyChange</c>, <c>deal.propertyChange</c>.</param>
/// <param name="ObjectId">The object the event is about.</param>
/// <param name="PropertyName">For a property change, the property.</param>
/// <param name="PropertyValue">For a property change, its new value.</param>
/// <param name="EventId">The event's id (the dedupe key). <value>Default: a new one.</value></param>
/// <param name="OccurredAt">When it happened. <value>Default: now on the simulator's clock.</value></param>
public sealed record SimulatedWebhookEvent(
    string SubscriptionType,
    long ObjectId,
    string? PropertyName = null,
    string? PropertyValue = null,
    long? EventId = null,
    DateTimeOffset? OccurredAt = null);
