namespace Integrations.Sdk.MailchimpTransactional.Internal;

/// <summary>The body of <c>POST /messages/send-template</c>, API key included.</summary>
internal sealed record SendTemplateRequest(string Key, string TemplateName, List<NameContent> TemplateContent, WireMessage Message);

internal sealed record WireMessage(
    List<WireRecipient> To,
    List<NameContent> GlobalMergeVars,
    string MergeLanguage,
    List<string> Tags,
    Dictionary<string, string> Metadata,
    string? Subject,
    string? FromEmail,
    string? FromName);

internal sealed record WireRecipient(string Email, string? Name, string Type = "to");

/// <summary>
/// A merge variable or an editable region. The published spec declares <c>content</c> a string, so a missing value
/// is sent as the empty string (it renders as nothing, as <c>null</c> did).
/// </summary>
internal sealed record NameContent(string Name, string Content);
