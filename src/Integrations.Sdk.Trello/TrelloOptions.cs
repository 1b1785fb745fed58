namespace Integrations.Sdk.Trello;

/// <summary>Settings of the Trello connector, validated when the host starts. Its <see cref="ToString"/> shows no secret.</summary>
public sealed class TrelloOptions
{
    /// <summary>The API key of the Power-Up (from trello.com/power-ups/admin). Required.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>A user's token for that key. Required; secret.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>The Power-Up's secret, with which Trello signs webhooks. Secret; required only to receive webhooks.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Overrides the API host (a simulator). <value>Default: <c>https://api.trello.com/</c>.</value></summary>
    public Uri BaseAddress { get; set; } = new("https://api.trello.com/");

    /// <summary>Requests per 10 seconds. <value>Default: 100, Trello's limit per token</value> (300 per key).</summary>
    public int RequestsPer10Seconds { get; set; } = 100;

    /// <inheritdoc />
    public override string ToString() => $"TrelloOptions({BaseAddress}, key {ApiKey}, token ***, {RequestsPer10Seconds}/10 s)";

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return $"Trello: {nameof(ApiKey)} is required (the Power-Up's API key).";
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            yield return $"Trello: {nameof(Token)} is required (a user's token for the API key).";
        }

        if (BaseAddress is not { IsAbsoluteUri: true })
        {
            yield return $"Trello: {nameof(BaseAddress)} must be an absolute URI.";
        }

        if (RequestsPer10Seconds is < 1 or > 300)
        {
            yield return $"Trello: {nameof(RequestsPer10Seconds)} must be between 1 and 300.";
        }
    }
}
