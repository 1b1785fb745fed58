namespace Integrations.Sdk.MailchimpTransactional.Models;

/// <summary>One recipient of a templated email (sent as a <c>to</c> recipient).</summary>
public sealed record EmailRecipient
{
    /// <summary>The address. Required.</summary>
    public required string Email { get; init; }

    /// <summary>The display name; optional.</summary>
    public string? Name { get; init; }
}

/// <summary>A templated email for <see cref="MailchimpTransactionalConnector.SendTemplate"/>: a Mandrill template, its recipients and merge variables.</summary>
public sealed record TemplateEmail
{
    /// <summary>The template's slug or name in Mandrill (<c>template_name</c>). Required.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The recipients, at least one (<c>message.to</c>, each of type <c>to</c>).</summary>
    public required IReadOnlyList<EmailRecipient> To { get; init; }

    /// <summary>Merge variables for every recipient (<c>message.global_merge_vars</c>), by name.</summary>
    public IReadOnlyDictionary<string, string?>? MergeVars { get; init; }

    /// <summary>Content for the template's editable regions (<c>template_content</c>, <c>mc:edit</c> names), by name; optional (sent empty when absent).</summary>
    public IReadOnlyDictionary<string, string>? TemplateContent { get; init; }

    /// <summary>The merge syntax: <c>mailchimp</c> (<c>*|NAME|*</c>) or <c>handlebars</c>. <value>Default: <c>mailchimp</c>.</value></summary>
    public string MergeLanguage { get; init; } = "mailchimp";

    /// <summary>Tags for Mandrill's reports (<c>message.tags</c>); optional. Mandrill ignores tags starting with an underscore.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Metadata stored with the message (<c>message.metadata</c>); optional. Must not set <see cref="MailchimpTransactionalConnector.IntegrationsKeyMetadata"/>, which the connector adds.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Overrides the template's subject; optional.</summary>
    public string? Subject { get; init; }

    /// <summary>Overrides the sender address (else the connector's <c>FromEmail</c>, else the template's); optional.</summary>
    public string? FromEmail { get; init; }

    /// <summary>Overrides the sender name (else the connector's <c>FromName</c>, else the template's); optional.</summary>
    public string? FromName { get; init; }
}

/// <summary>Mandrill's answer for one recipient of a sent message.</summary>
/// <param name="Email">The recipient's address.</param>
/// <param name="Status"><c>sent</c>, <c>queued</c> or <c>scheduled</c> (rejected and invalid recipients fail the send).</param>
/// <param name="MessageId">Mandrill's message id (<c>_id</c>), to find the message in its log.</param>
/// <param name="RejectReason">Why a recipient was rejected, when Mandrill says so.</param>
public sealed record EmailRecipientResult(string Email, string Status, string? MessageId, string? RejectReason);

/// <summary>The result of a templated send.</summary>
/// <param name="IntegrationsKey">The idempotency key stored as the message's <c>metadata.integrations_key</c>, to search Mandrill's log for.</param>
/// <param name="Recipients">Mandrill's answer per recipient.</param>
public sealed record EmailSendResult(string IntegrationsKey, IReadOnlyList<EmailRecipientResult> Recipients);
