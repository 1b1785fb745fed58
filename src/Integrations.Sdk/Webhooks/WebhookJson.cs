namespace Integrations.Sdk.Connectors;

/// <summary>Reads webhook bodies for <see cref="IWebhookSource.Parse"/> implementations.</summary>
public static class WebhookJson
{
    /// <summary>Parses a webhook body as JSON; a body that is not JSON becomes a <see cref="FormatException"/> naming the platform.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="platform">The platform's display name, for the message (for example <c>HubSpot</c>).</param>
    /// <exception cref="FormatException">The body is not JSON.</exception>
    public static System.Text.Json.JsonDocument Parse(ReadOnlyMemory<byte> body, string platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        try
        {
            return System.Text.Json.JsonDocument.Parse(body);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException($"The {platform} webhook body is not JSON: {ex.Message}", ex);
        }
    }
}
