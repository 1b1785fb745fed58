using System.Text.RegularExpressions;

namespace Integrations.Sdk.Stripe;

/// <summary>Settings of the Stripe connector, validated when the host starts; <see cref="ToString"/> never shows a secret.</summary>
public sealed partial class StripeOptions
{
    /// <summary>Stripe's API host.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.stripe.com/");

    /// <summary>
    /// The API version the connector is written and tested against, sent as <c>Stripe-Version</c> on every request so
    /// that the account's default version (changed in the Dashboard) cannot change the shapes the connector reads.
    /// </summary>
    public const string DefaultApiVersion = "2026-07-29.dahlia";

    /// <summary>The secret key (<c>sk_live_...</c>, <c>sk_test_...</c>) or restricted key (<c>rk_...</c>). Required; secret.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// The dated <c>Stripe-Version</c> sent with every request. <value>Default: <see cref="DefaultApiVersion"/>.</value>
    /// Change it only together with the models that read the answers.
    /// </summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_...</c>). Secret. Required only to receive webhooks.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// How far a webhook's signed timestamp may be from now, in either direction, before it is refused (replay
    /// protection). <value>Default: 300 seconds, as Stripe's libraries use.</value>
    /// </summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Overrides the API host (a simulator, a proxy). <value>Default: <c>https://api.stripe.com/</c>.</value> Must be absolute.</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// The request budget per second. <value>Default: 25, Stripe's sandbox limit</value>; live mode allows 100 (read
    /// and write together), shared with everything else using the same account.
    /// </summary>
    public int RequestsPerSecond { get; set; } = 25;

    /// <inheritdoc />
    public override string ToString() =>
        $"StripeOptions({BaseAddress}, version {ApiVersion}, key ***, webhook secret {(string.IsNullOrEmpty(WebhookSecret) ? "not set" : "***")}, {RequestsPerSecond}/s)";

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return $"Stripe: {nameof(ApiKey)} is required (a secret key sk_... or restricted key rk_... from the Dashboard's API keys page).";
        }
        else if (!ApiKey.StartsWith("sk_", StringComparison.Ordinal) && !ApiKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            yield return $"Stripe: {nameof(ApiKey)} must be a secret key (sk_...) or a restricted key (rk_...); a publishable key (pk_...) cannot call these endpoints.";
        }

        if (string.IsNullOrWhiteSpace(ApiVersion) || !VersionPattern().IsMatch(ApiVersion))
        {
            yield return $"Stripe: {nameof(ApiVersion)} '{ApiVersion}' is not a dated Stripe version such as {DefaultApiVersion}.";
        }

        if (!string.IsNullOrEmpty(WebhookSecret) && !WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            yield return $"Stripe: {nameof(WebhookSecret)} must be the endpoint's signing secret, which starts with whsec_.";
        }

        if (WebhookTolerance <= TimeSpan.Zero || WebhookTolerance > TimeSpan.FromHours(1))
        {
            yield return $"Stripe: {nameof(WebhookTolerance)} must be positive and at most one hour.";
        }

        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            yield return $"Stripe: {nameof(BaseAddress)} must be an absolute URI.";
        }

        if (RequestsPerSecond is < 1 or > 1000)
        {
            yield return $"Stripe: {nameof(RequestsPerSecond)} must be between 1 and 1000.";
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
