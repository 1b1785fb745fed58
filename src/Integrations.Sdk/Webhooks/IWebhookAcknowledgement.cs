namespace Integrations.Sdk.Connectors;

/// <summary>
/// A webhook source whose platform expects a particular answer to a delivery, not an empty <c>200</c>: Salesforce
/// outbound messages, for example, are resent for up to 24 hours until the answer is a SOAP
/// <c>notificationsResponse</c> with <c>Ack</c> true. The receiver gives this answer once the delivery is stored (its
/// events in the inbox, or the whole body kept for review when it could not be read), never before.
/// </summary>
public interface IWebhookAcknowledgement
{
    /// <summary>The answer to a delivery that has been stored.</summary>
    /// <param name="request">The delivery.</param>
    WebhookResponse Acknowledge(WebhookRequest request);
}
