namespace Integrations.Sdk.Connectors;

/// <summary>A platform that pushes events: verifies requests and turns them into events.</summary>
public interface IWebhookSource
{
    /// <summary>The connector's name, used in the endpoint path and in the inbox.</summary>
    string Name { get; }

    /// <summary>Verifies the request's signature over the raw body, in constant time.</summary>
    /// <param name="request">The request.</param>
    WebhookVerification Verify(WebhookRequest request);

    /// <summary>Parses a verified request into its events.</summary>
    /// <param name="request">The verified request.</param>
    /// <exception cref="FormatException">The body is not what the platform sends; the message names the field at fault.</exception>
    IReadOnlyList<WebhookEvent> Parse(WebhookRequest request);
}
