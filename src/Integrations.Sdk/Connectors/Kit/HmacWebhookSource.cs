namespace Integrations.Sdk.Connectors.Kit;

/// <summary>
/// A webhook source whose platform signs with HMAC, for connector authors: verification is the declared
/// <see cref="HmacSignatureScheme"/> with the secret (and tolerance) read from the connector's options on each request;
/// a platform's source only parses its body into events.
/// </summary>
public abstract class HmacWebhookSource : IWebhookSource
{
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="name">The connector's name, which names the webhook route and the inbox's source.</param>
    /// <param name="scheme">The platform's signature scheme.</param>
    /// <param name="secretSetting">The option holding the secret, for the message when it is not set (for example <c>StripeOptions.WebhookSecret</c>).</param>
    /// <param name="timeProvider">The clock signed timestamps are checked against; the system clock by default.</param>
    protected HmacWebhookSource(string name, HmacSignatureScheme scheme, string secretSetting, TimeProvider? timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretSetting);
        Name = name;
        Scheme = scheme;
        SecretSetting = secretSetting;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The platform's signature scheme.</summary>
    public HmacSignatureScheme Scheme { get; }

    /// <summary>The option holding the secret, as named in messages.</summary>
    protected string SecretSetting { get; }

    /// <summary>The signing secret, read from the options on each verification.</summary>
    protected abstract string? Secret { get; }

    /// <summary>The timestamp tolerance from the options; <see langword="null"/> uses the scheme's.</summary>
    protected virtual TimeSpan? Tolerance => null;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The signing secret is not configured.</exception>
    public virtual WebhookVerification Verify(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secret = Secret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException(
                $"{SecretSetting} is not configured, so {Scheme.SignatureHeader} cannot be verified: set it to receive webhooks.");
        }

        return Scheme.Verify(request, secret, _time.GetUtcNow(), Tolerance);
    }

    /// <inheritdoc />
    public abstract IReadOnlyList<WebhookEvent> Parse(WebhookRequest request);
}
