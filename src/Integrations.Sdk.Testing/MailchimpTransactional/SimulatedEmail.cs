namespace Integrations.Sdk.Testing.MailchimpTransactional;

/// <summary>One message the simulator accepted (one per recipient, as Mandrill counts them).</summary>
/// <param name="Id">The message id answered as <c>_id</c>.</param>
/// <param name="TemplateName">The template used.</param>
/// <param name="To">The recipient's address.</param>
/// <param name="ToName">The recipient's name, if sent.</param>
/// <param name="Status">The status answered: <c>sent</c>.</param>
/// <param name="MergeVars">The global merge variables, by name (contents as JSON text when not strings).</param>
/// <param name="Metadata">The message's metadata.</param>
/// <param name="Tags">The message's tags.</param>
/// <param name="Subject">The subject override, if sent.</param>
/// <param name="FromEmail">The sender override, if sent.</param>
/// <param name="SentAt">When, on the simulator's clock.</param>
public sealed record SimulatedEmail(
    string Id,
    string TemplateName,
    string To,
    string? ToName,
    string Status,
    IReadOnlyDictionary<string, string?> MergeVars,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Tags,
    string? Subject,
    string? FromEmail,
    DateTimeOffset SentAt)
{
    /// <summary>The message's <c>metadata.integrations_key</c>, if any.</summary>
    public string? IntegrationsKey => Metadata.TryGetValue("integrations_key", out var key) ? key : null;
}
