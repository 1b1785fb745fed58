using Refit;

namespace Integrations.Sdk.MailchimpTransactional.Internal;

/// <summary>The Mailchimp Transactional endpoints the connector uses: POSTs with the API key in the JSON body (<c>key</c>).</summary>
[Headers("Accept: application/json")]
internal interface IMailchimpTransactionalApi
{
    [Post("/messages/send-template")]
    Task<List<WireSendResult>> SendTemplateAsync([Body] SendTemplateRequest body, CancellationToken cancellationToken = default);
}
