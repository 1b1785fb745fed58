namespace Integrations.Sdk.HubSpot.Models;

/// <summary>A contact to create or update by its email (natural upsert).</summary>
/// <param name="Email">The email, HubSpot's unique contact key. Required.</param>
/// <param name="Properties">The other properties to set (internal names, for example <c>firstname</c>); optional.</param>
public sealed record ContactUpsert(string Email, IReadOnlyDictionary<string, string?>? Properties = null);

/// <summary>Property values to set on an existing contact.</summary>
/// <param name="ContactId">The contact's id. Required.</param>
/// <param name="Properties">The properties to set (internal names); an empty string clears one. At least one.</param>
public sealed record ContactPropertiesUpdate(string ContactId, IReadOnlyDictionary<string, string?> Properties);

/// <summary>A task to create for a contact, at most once.</summary>
/// <param name="ContactId">The contact the task is associated with. Required.</param>
/// <param name="Subject">The subject (<c>hs_task_subject</c>). Required.</param>
/// <param name="DueAt">When it is due (<c>hs_timestamp</c>, required by HubSpot).</param>
/// <param name="Body">The body (<c>hs_task_body</c>); optional. The connector appends its marker line.</param>
/// <param name="ExternalId">
/// The caller's own id for this task (an order number, a ticket id). It becomes the task's marker; without it the
/// step's idempotency key is the marker. Optional.
/// </param>
/// <param name="Priority">The priority (<c>hs_task_priority</c>): <c>LOW</c>, <c>MEDIUM</c> or <c>HIGH</c>; optional.</param>
/// <param name="OwnerId">The HubSpot owner (<c>hubspot_owner_id</c>); optional.</param>
public sealed record TaskDraft(
    string ContactId,
    string Subject,
    DateTimeOffset DueAt,
    string? Body = null,
    string? ExternalId = null,
    string? Priority = null,
    string? OwnerId = null);
