using System.Text.Json.Serialization;

namespace Integrations.Sdk.MailchimpTransactional.Internal;

/// <summary>The body of <c>POST /messages/send-template</c>, API key included.</summary>
internal sealed class SendTemplateRequest
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("template_name")]
    public required string TemplateName { get; init; }

    [JsonPropertyName("template_content")]
    public required List<NameContent> TemplateContent { get; init; }

    [JsonPropertyName("message")]
    public required WireMessage Message { get; init; }
}

internal sealed class WireMessage
{
    [JsonPropertyName("to")]
    public required List<WireRecipient> To { get; init; }

    [JsonPropertyName("global_merge_vars")]
    public required List<NameContent> GlobalMergeVars { get; init; }

    [JsonPropertyName("merge_language")]
    public required string MergeLanguage { get; init; }

    [JsonPropertyName("tags")]
    public required List<string> Tags { get; init; }

    [JsonPropertyName("metadata")]
    public required Dictionary<string, string> Metadata { get; init; }

    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; init; }

    [JsonPropertyName("from_email")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FromEmail { get; init; }

    [JsonPropertyName("from_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FromName { get; init; }
}

internal sealed class WireRecipient
{
    [JsonPropertyName("email")]
    public required string Email { get; init; }

    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("type")]
    public string Type { get; init; } = "to";
}

internal sealed class NameContent
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("content")]
    public string? Content { get; init; }
}

/// <summary>One element of Mandrill's answer to a send: <c>{ "email", "status", "reject_reason", "_id" }</c>.</summary>
internal sealed class WireSendResult
{
    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("reject_reason")]
    public string? RejectReason { get; init; }

    [JsonPropertyName("_id")]
    public string? Id { get; init; }
}
