using System.Net;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.MailchimpTransactional.Internal;
using Integrations.Sdk.MailchimpTransactional.Models;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.MailchimpTransactional;

/// <summary>
/// The Mailchimp Transactional (Mandrill) connector: sends templated emails. Resolve it from the services after
/// <c>AddMailchimpTransactional(...)</c>; it is thread-safe.
/// </summary>
/// <remarks>
/// Mandrill has no idempotency key: a send whose answer is lost (a timeout, a dropped connection, a 5xx) may or may
/// not have gone out, and sending again may email the customer twice. So <see cref="SendTemplate"/> is
/// <see cref="WriteSafety.Unsafe"/>: the transport never resends it after such a failure, and a sync ends the record
/// <c>Ambiguous</c> for a person to check Mandrill's message log (for <see cref="IntegrationsKeyMetadata"/>) and
/// replay it with <c>AmbiguousResolution.AlreadyApplied</c> or <c>SendAgain</c>.
/// </remarks>
public sealed class MailchimpTransactionalConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget and telemetry.</summary>
    public const string ConnectorName = "mailchimp-transactional";

    /// <summary>
    /// The metadata field each message carries with the SDK's idempotency key of its write, so a person can find the
    /// message in Mandrill's log (search <c>u_integrations_key:&lt;key&gt;</c> once the field is indexed).
    /// </summary>
    public const string IntegrationsKeyMetadata = "integrations_key";

    private static readonly HashSet<string> Accepted = new(StringComparer.OrdinalIgnoreCase) { "sent", "queued", "scheduled" };
    private readonly Func<IMailchimpTransactionalApi> _api;
    private readonly MailchimpTransactionalOptions _options;

    internal MailchimpTransactionalConnector(Func<IMailchimpTransactionalApi> api, MailchimpTransactionalOptions options)
    {
        _api = api;
        _options = options;
        SendTemplate = new SendTemplateOperation(this);
    }

    /// <summary>
    /// Sends a templated email (<c>POST /messages/send-template</c>) with the write's idempotency key in
    /// <c>metadata.integrations_key</c>. <see cref="WriteSafety.Unsafe"/>: Mandrill cannot deduplicate, so an attempt
    /// with unknown effect is never resent blindly; the record ends <c>Ambiguous</c>. Recipients Mandrill answers
    /// <c>rejected</c> or <c>invalid</c> fail the write with a non-retryable <see cref="PlatformException"/> naming the
    /// <c>reject_reason</c> (when every recipient is refused nothing was sent; when only some are, the others were
    /// emailed, so the failure says it may have been applied).
    /// </summary>
    public ISinkOperation<TemplateEmail, EmailSendResult> SendTemplate { get; }

    internal async Task<EmailSendResult> SendTemplateAsync(TemplateEmail email, string integrationsKey, CancellationToken cancellationToken)
    {
        var body = BuildRequest(email, integrationsKey);
        var answer = await _api().SendTemplateAsync(body, cancellationToken).ConfigureAwait(false);

        if (answer is null || answer.Count == 0)
        {
            throw new PlatformException(ConnectorName, HttpStatusCode.OK, "invalid_response",
                "the answer to send-template lists no recipient", mayHaveBeenApplied: true);
        }

        var recipients = answer
            .Select(r => new EmailRecipientResult(r.Email ?? string.Empty, r.Status ?? string.Empty, r.Id, r.RejectReason))
            .ToList();
        var refused = recipients.Where(r => !Accepted.Contains(r.Status)).ToList();
        if (refused.Count > 0)
        {
            var sent = recipients.Count - refused.Count;
            var reasons = string.Join(", ", refused.Select(r => $"{r.Email} {r.Status} ({r.RejectReason ?? "no reject_reason"})"));
            var code = refused[0].RejectReason ?? refused[0].Status;
            throw new PlatformException(ConnectorName, HttpStatusCode.OK, code,
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
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in email.Metadata ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, IntegrationsKeyMetadata, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Mailchimp Transactional: Metadata must not set '{IntegrationsKeyMetadata}'; the connector sets it (field Metadata).", nameof(email));
            }

            metadata[name] = value;
        }

        metadata[IntegrationsKeyMetadata] = integrationsKey;
        return new SendTemplateRequest
        {
            Key = _options.ApiKey,
            TemplateName = email.TemplateName.Trim(),
            TemplateContent = [.. (email.TemplateContent ?? new Dictionary<string, string>()).Select(c => new NameContent { Name = c.Key, Content = c.Value })],
            Message = new WireMessage
            {
                To = [.. email.To.Select(r => new WireRecipient { Email = r.Email.Trim(), Name = string.IsNullOrWhiteSpace(r.Name) ? null : r.Name })],
                GlobalMergeVars = [.. (email.MergeVars ?? new Dictionary<string, string?>()).Select(v => new NameContent { Name = v.Key, Content = v.Value })],
                MergeLanguage = email.MergeLanguage,
                Tags = [.. email.Tags ?? []],
                Metadata = metadata,
                Subject = string.IsNullOrWhiteSpace(email.Subject) ? null : email.Subject,
                FromEmail = NullIfBlank(email.FromEmail) ?? NullIfBlank(_options.FromEmail),
                FromName = NullIfBlank(email.FromName) ?? NullIfBlank(_options.FromName),
            },
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Validate(TemplateEmail email)
    {
        if (string.IsNullOrWhiteSpace(email.TemplateName))
        {
            throw new ArgumentException("Mailchimp Transactional: a templated email needs a template (field TemplateName).", nameof(email));
        }

        if (email.To is null || email.To.Count == 0)
        {
            throw new ArgumentException("Mailchimp Transactional: a templated email needs at least one recipient (field To).", nameof(email));
        }

        for (var i = 0; i < email.To.Count; i++)
        {
            if (email.To[i] is null || !EmailAddress.LooksValid(email.To[i].Email))
            {
                throw new ArgumentException($"Mailchimp Transactional: To[{i}].Email '{email.To[i]?.Email}' is not an email address.", nameof(email));
            }
        }

        if (email.MergeLanguage is not ("mailchimp" or "handlebars"))
        {
            throw new ArgumentException($"Mailchimp Transactional: MergeLanguage must be 'mailchimp' or 'handlebars', not '{email.MergeLanguage}'.", nameof(email));
        }

        if (!string.IsNullOrWhiteSpace(email.FromEmail) && !EmailAddress.LooksValid(email.FromEmail))
        {
            throw new ArgumentException($"Mailchimp Transactional: FromEmail '{email.FromEmail}' is not an email address.", nameof(email));
        }
    }

    private sealed class SendTemplateOperation(MailchimpTransactionalConnector connector) : ISinkOperation<TemplateEmail, EmailSendResult>
    {
        public WriteSafety Safety => WriteSafety.Unsafe;

        public async Task<EmailSendResult> ExecuteAsync(TemplateEmail input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(context);
            ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
            Validate(input);
            return await connector.SendTemplateAsync(input, context.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        }
    }
}
