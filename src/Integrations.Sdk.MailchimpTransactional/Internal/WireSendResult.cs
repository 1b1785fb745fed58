namespace Integrations.Sdk.MailchimpTransactional.Internal;

/// <summary>One element of Mandrill's answer to a send: <c>{ "email", "status", "reject_reason", "_id" }</c>.</summary>
internal sealed record WireSendResult(string? Email, string? Status, string? RejectReason, [property: JsonPropertyName("_id")] string? Id);
