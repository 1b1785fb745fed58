using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integrations.Sdk.MailchimpMarketing.Models;

/// <summary>A list member as Mailchimp returns it (the fields the connector types; the rest in <see cref="Extra"/>).</summary>
public sealed record MailchimpMember
{
    /// <summary>The member's id: the MD5 hash of the lower-cased email address (the subscriber hash).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>The email address.</summary>
    [JsonPropertyName("email_address")]
    public string EmailAddress { get; init; } = string.Empty;

    /// <summary>The status: <c>subscribed</c>, <c>unsubscribed</c>, <c>cleaned</c>, <c>pending</c>, <c>transactional</c> or <c>archived</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = string.Empty;

    /// <summary>The list (audience) id.</summary>
    [JsonPropertyName("list_id")]
    public string ListId { get; init; } = string.Empty;

    /// <summary>The merge field values by tag.</summary>
    [JsonPropertyName("merge_fields")]
    public Dictionary<string, JsonElement> MergeFields { get; init; } = [];

    /// <summary>Fields of the answer the model does not type.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}
