using Integrations.Sdk.MailchimpTransactional.Internal;
using Integrations.Sdk.MailchimpTransactional.Models;

namespace Integrations.Sdk.MailchimpTransactional;

/// <summary>The Mailchimp Transactional (Mandrill) connector: sends templated emails. Thread-safe; resolve it after <c>AddMailchimpTransactional</c>.</summary>
/// <remarks>
/// Mandrill has no idempotency key, so <see cref="SendTemplate"/> is <see cref="WriteSafety.Unsafe"/>: a send whose answer is lost ends the
/// record <c>Ambiguous</c>, to be checked in Mandrill's log (<see cref="IntegrationsKeyMetadata"/>) and resolved with <c>AlreadyApplied</c> or <c>SendAgain</c>.
/// </remarks>
public sealed class MailchimpTransactionalConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget and telemetry.</summary>
    public const string ConnectorName = "mailchimp-transactional";

    /// <summary>The metadata field carrying the write's idempotency key, to find the message in Mandrill's log (<c>u_integrations_key:&lt;key&gt;</c> once indexed).</summary>
    public const string IntegrationsKeyMetadata = "integrations_key";

    private const string Platform = "Mailchimp Transactional";
    private static readonly HashSet<string> Accepted = new(StringComparer.OrdinalIgnoreCase) { "sent", "queued", "scheduled" };
    private readonly Func<IMailchimpTransactionalApi> _api;
    private readonly MailchimpTransactionalOptions _options;

    internal MailchimpTransactionalConnector(Func<IMailchimpTransactionalApi> api, MailchimpTransactionalOptions options)
    {
        _api = api;
        _options = options;
        SendTemplate = SinkOperation.Unsafe<TemplateEmail, EmailSendResult>(
            (email, context, ct) =>
            {
                ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
                return SendTemplateAsync(email, context.IdempotencyKey, ct);
            },
            Validate);
    }

    /// <summary>
    /// Sends a templated email (<c>POST /messages/send-template</c>) with the write's key in <c>metadata.integrations_key</c>. Recipients answered
    /// <c>rejected</c> or <c>invalid</c> fail it with a non-retryable <see cref="PlatformException"/> naming the <c>reject_reason</c> (applied if others were emailed).
    /// </summary>
    public ISinkOperation<TemplateEmail, EmailSendResult> SendTemplate { get; }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Validate(TemplateEmail email)
    {
        Require.Text(email.TemplateName, $"{Platform}: a templated email needs a template", nameof(email.TemplateName));
        Require.Items(email.To, $"{Platform}: a templated email needs at least one recipient", nameof(email.To));
        for (var i = 0; i < email.To.Count; i++)
        {
            if (email.To[i] is null || !EmailAddress.LooksValid(email.To[i].Email))
            {
                throw new ArgumentException($"{Platform}: To[{i}].Email '{email.To[i]?.Email}' is not an email address.", nameof(email));
            }
        }

        if (email.MergeLanguage is not ("mailchimp" or "handlebars"))
        {
            throw new ArgumentException($"{Platform}: MergeLanguage must be 'mailchimp' or 'handlebars', not '{email.MergeLanguage}'.", nameof(email));
        }

        if (!string.IsNullOrWhiteSpace(email.FromEmail) && !EmailAddress.LooksValid(email.FromEmail))
        {
            throw new ArgumentException($"{Platform}: FromEmail '{email.FromEmail}' is not an email address.", nameof(email));
        }

        if (email.Metadata?.Any(m => m.Key == IntegrationsKeyMetadata) == true)
        {
            throw new ArgumentException($"{Platform}: Metadata must not set '{IntegrationsKeyMetadata}'; the connector sets it (field Metadata).", nameof(email));
        }
    }

    private async Task<EmailSendResult> SendTemplateAsync(TemplateEmail email, string integrationsKey, CancellationToken cancellationToken)
    {
        var answer = await _api().SendTemplateAsync(BuildRequest(email, integrationsKey), cancellationToken).ConfigureAwait(false);
        if (answer is not { Count: > 0 })
        {
            throw PlatformException.InvalidResponse(ConnectorName, "the answer to send-template lists no recipient", mayHaveBeenApplied: true);
        }

        var recipients = answer.Select(r => new EmailRecipientResult(r.Email ?? string.Empty, r.Status ?? string.Empty, r.Id, r.RejectReason)).ToList();
        var refused = recipients.Where(r => !Accepted.Contains(r.Status)).ToList();
        if (refused.Count > 0)
        {
            var sent = recipients.Count - refused.Count;
            var reasons = string.Join(", ", refused.Select(r => $"{r.Email} {r.Status} ({r.RejectReason ?? "no reject_reason"})"));
            throw new PlatformException(ConnectorName, HttpStatusCode.OK, refused[0].RejectReason ?? refused[0].Status,
                sent == 0
                    ? $"template '{email.TemplateName}' was not sent: {reasons}"
                    : $"template '{email.TemplateName}' was sent to {sent} recipient(s) but refused for {reasons}: check Mandrill's log for {IntegrationsKeyMetadata} {integrationsKey} before replaying",
                isRetryable: false,
                mayHaveBeenApplied: sent > 0);
        }

        return new EmailSendResult(integrationsKey, recipients);
    }

    private SendTemplateRequest BuildRequest(TemplateEmail email, string integrationsKey)
    {
        var metadata = new Dictionary<string, string>(email.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [IntegrationsKeyMetadata] = integrationsKey };
        var message = new WireMessage(
            [.. email.To.Select(r => new WireRecipient(r.Email.Trim(), string.IsNullOrWhiteSpace(r.Name) ? null : r.Name))],
            [.. email.MergeVars?.Select(v => new NameContent(v.Key, v.Value ?? string.Empty)) ?? []],
            email.MergeLanguage,
            [.. email.Tags ?? []],
            metadata,
            string.IsNullOrWhiteSpace(email.Subject) ? null : email.Subject,
            NullIfBlank(email.FromEmail) ?? NullIfBlank(_options.FromEmail),
            NullIfBlank(email.FromName) ?? NullIfBlank(_options.FromName));
        return new SendTemplateRequest(_options.ApiKey, email.TemplateName.Trim(), [.. email.TemplateContent?.Select(c => new NameContent(c.Key, c.Value)) ?? []], message);
    }
}
