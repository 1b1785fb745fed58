using Integrations.Sdk.Pipelines;

namespace Integrations.Sdk.Webhooks;

/// <summary>Sends events of one source (and, optionally, some event types) to a sync, converted to its record type.</summary>
internal sealed record WebhookRoute(string Source, IReadOnlySet<string> EventTypes, string Sync, Func<WebhookEvent, object?> Convert, Func<ISyncRunner, object, CancellationToken, Task<RunReport>> Process)
{
    /// <summary>The type of the records the route gives its sync (<c>TRecord</c> of <c>AddWebhookRoute</c>), checked at start.</summary>
    public Type? RecordType { get; init; }

    public bool Matches(string source, string eventType) =>
        string.Equals(Source, source, StringComparison.OrdinalIgnoreCase) && (EventTypes.Count == 0 || EventTypes.Contains(eventType));
}
