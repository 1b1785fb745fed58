using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Integrations.Sdk.Telemetry;

/// <summary>
/// Removes secrets from text that may reach a log, an exception, a dead letter or a run report: every secret the SDK
/// was configured with or obtained (API keys, tokens, client secrets), plus anything shaped like a credential.
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "***";

    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    /// <summary>Registers a value that must never be shown. Values shorter than 4 characters are ignored.</summary>
    /// <param name="secret">The secret.</param>
    public void Register(string? secret)
    {
        if (secret is { Length: >= 4 })
        {
            _secrets.TryAdd(secret, 0);
        }
    }

    /// <summary>Returns <paramref name="text"/> with every known secret and credential-shaped value masked.</summary>
    /// <param name="text">The text.</param>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in _secrets.Keys)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = BearerPattern().Replace(text, "$1" + Mask);
        text = JsonSecretPattern().Replace(text, "$1" + Mask + "\"");
        return FormSecretPattern().Replace(text, "$1" + Mask);
    }

    /// <summary>
    /// Masks every registered secret in a record's JSON, written raw or JSON-escaped (the default encoder writes
    /// <c>+</c> as <c>\u002B</c>), and nothing else: the credential-shaped patterns of <see cref="Redact"/> would also
    /// mask a property named <c>key</c> or <c>token</c>, which is often the record's identity, and the payload must
    /// still replay.
    /// </summary>
    internal string RedactPayload(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return json ?? string.Empty;
        }

        foreach (var secret in _secrets.Keys)
        {
            if (json.Contains(secret, StringComparison.Ordinal))
            {
                json = json.Replace(secret, Mask, StringComparison.Ordinal);
            }

            var escaped = JsonEncodedText.Encode(secret).ToString();
            if (!string.Equals(escaped, secret, StringComparison.Ordinal) && json.Contains(escaped, StringComparison.Ordinal))
            {
                json = json.Replace(escaped, Mask, StringComparison.Ordinal);
            }
        }

        return json;
    }

    [GeneratedRegex(@"((?:Bearer|Basic)\s+)[A-Za-z0-9\-._~+/=]{4,}", RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    [GeneratedRegex("(\"(?:access_token|refresh_token|id_token|client_secret|password|api_key|apikey|secret|token|key)\"\\s*:\\s*\")[^\"]*\"", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecretPattern();

    [GeneratedRegex(@"((?:^|[?&\s])(?:access_token|refresh_token|id_token|client_secret|password|api_key|apikey|code)=)[^&\s]+", RegexOptions.IgnoreCase)]
    private static partial Regex FormSecretPattern();
}
