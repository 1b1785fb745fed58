using Integrations.Sdk.MailchimpMarketing.Models;
using Refit;

namespace Integrations.Sdk.MailchimpMarketing.Internal;

/// <summary>
/// The Marketing API 3.0 endpoints the connector uses, relative to <c>https://{dc}.api.mailchimp.com/3.0</c>. Auth is
/// added by the transport. The member PUT is replay-safe by HTTP semantics; the tag POST sets values, so it is marked
/// replay-safe; the journey trigger and the batch creation are not.
/// </summary>
[Headers("Accept: application/json")]
internal interface IMailchimpMarketingApi
{
    [Get("/lists/{listId}/members/{subscriberHash}")]
    Task<MailchimpMember> GetMemberAsync(string listId, string subscriberHash, CancellationToken cancellationToken = default);

    [Put("/lists/{listId}/members/{subscriberHash}")]
    Task<MailchimpMember> PutMemberAsync(string listId, string subscriberHash, [Body] WireMember body, CancellationToken cancellationToken = default);

    [Post("/lists/{listId}/members/{subscriberHash}/tags")]
    Task PostMemberTagsAsync(
        string listId, string subscriberHash, [Body] WireTags body, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Post("/customer-journeys/journeys/{journeyId}/steps/{stepId}/actions/trigger")]
    Task TriggerJourneyAsync(string journeyId, string stepId, [Body] WireJourneyTrigger body, CancellationToken cancellationToken = default);

    [Post("/batches")]
    Task<MailchimpBatch> StartBatchAsync([Body] WireBatch body, CancellationToken cancellationToken = default);

    [Get("/batches/{batchId}")]
    Task<MailchimpBatch> GetBatchAsync(string batchId, CancellationToken cancellationToken = default);
}

/// <summary>The member PUT body: <c>email_address</c>, <c>status_if_new</c> and <c>merge_fields</c> (left out when none).</summary>
internal sealed record WireMember(
    [property: JsonPropertyName("email_address")] string EmailAddress,
    [property: JsonPropertyName("status_if_new")] string StatusIfNew,
    [property: JsonPropertyName("merge_fields")] IReadOnlyDictionary<string, object?>? MergeFields);

/// <summary>The tags POST body: <c>tags: [{ name, status: active|inactive }]</c>.</summary>
internal sealed record WireTags([property: JsonPropertyName("tags")] IReadOnlyList<WireTag> Tags);

/// <summary>One tag to set.</summary>
internal sealed record WireTag([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("status")] string Status);

/// <summary>The journey trigger body: <c>{ "email_address": ... }</c>.</summary>
internal sealed record WireJourneyTrigger([property: JsonPropertyName("email_address")] string EmailAddress);

/// <summary>The batch POST body: <c>{ "operations": [...] }</c>.</summary>
internal sealed record WireBatch([property: JsonPropertyName("operations")] IReadOnlyList<WireBatchOperation> Operations);

/// <summary>One batch operation: the body is JSON as a string, the params a flat object.</summary>
internal sealed record WireBatchOperation(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, string>? Params,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("operation_id")] string? OperationId);
