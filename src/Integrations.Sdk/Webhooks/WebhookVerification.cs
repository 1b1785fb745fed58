namespace Integrations.Sdk.Connectors;

/// <summary>The verdict on a webhook request's authenticity.</summary>
/// <param name="IsValid">Whether the signature (and timestamp, where signed) is valid.</param>
/// <param name="Failure">Why it is not, naming the header at fault; never echoes a secret or the expected signature.</param>
public readonly record struct WebhookVerification(bool IsValid, string? Failure)
{
    /// <summary>A valid request.</summary>
    public static WebhookVerification Valid => new(true, null);

    /// <summary>An invalid request, with the reason.</summary>
    /// <param name="reason">Why, naming the header at fault.</param>
    public static WebhookVerification Invalid(string reason) => new(false, reason);
}
