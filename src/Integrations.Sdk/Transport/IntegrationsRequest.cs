namespace Integrations.Sdk.Transport;

/// <summary>
/// Per-request information that connectors attach to an <see cref="HttpRequestMessage"/> (with Refit:
/// <c>[Property(IntegrationsRequest.AccountKeyName)]</c>), read by the transport pipeline.
/// </summary>
public static class IntegrationsRequest
{
    /// <summary>The option name of the account or tenant a request is made for.</summary>
    public const string AccountKeyName = "Integrations.Account";

    /// <summary>The option name that marks a request as safe to replay (it carries an idempotency key, or only reads).</summary>
    public const string ReplaySafeKeyName = "Integrations.ReplaySafe";

    /// <summary>The account used when a request names none.</summary>
    public const string DefaultAccount = "default";

    /// <summary>The account or tenant a request is made for: selects its rate-limit budget and OAuth token.</summary>
    public static readonly HttpRequestOptionsKey<string> Account = new(AccountKeyName);

    /// <summary>Marks a request as safe to replay after its effect became unknown.</summary>
    public static readonly HttpRequestOptionsKey<bool> ReplaySafe = new(ReplaySafeKeyName);

    /// <summary>Returns the account a request is made for, or <see cref="DefaultAccount"/>.</summary>
    /// <param name="request">The request.</param>
    public static string GetAccount(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(Account, out var account) && !string.IsNullOrEmpty(account) ? account : DefaultAccount;
    }

    /// <summary>Sets the account a request is made for.</summary>
    /// <param name="request">The request.</param>
    /// <param name="account">The account or tenant.</param>
    public static HttpRequestMessage WithAccount(this HttpRequestMessage request, string account)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(account);
        request.Options.Set(Account, account);
        return request;
    }

    /// <summary>Marks a request as safe to replay (it carries an idempotency key, or it only reads).</summary>
    /// <param name="request">The request.</param>
    public static HttpRequestMessage MarkReplaySafe(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(ReplaySafe, true);
        return request;
    }

    /// <summary>
    /// Whether sending the request twice has the same effect as once: GET, HEAD, OPTIONS, PUT and DELETE by HTTP
    /// semantics, or any request marked replay-safe or carrying one of <paramref name="idempotencyHeaders"/> or
    /// <paramref name="idempotencyQueryParameters"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="idempotencyHeaders">Header names that carry an idempotency key on this platform.</param>
    /// <param name="idempotencyQueryParameters">Query parameters that carry an idempotency key on this platform.</param>
    public static bool IsReplaySafe(this HttpRequestMessage request, IReadOnlyCollection<string>? idempotencyHeaders = null, IReadOnlyCollection<string>? idempotencyQueryParameters = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method;
        if (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Put || method == HttpMethod.Delete)
        {
            return true;
        }

        if (request.Options.TryGetValue(ReplaySafe, out var safe) && safe)
        {
            return true;
        }

        if (idempotencyHeaders is not null && idempotencyHeaders.Any(request.Headers.Contains))
        {
            return true;
        }

        var query = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Query : string.Empty;
        return idempotencyQueryParameters is { Count: > 0 } && query.Length > 1
            && query[1..].Split('&').Any(pair =>
            {
                var name = Uri.UnescapeDataString(pair.Split('=', 2)[0]);
                return idempotencyQueryParameters.Any(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase))
                    && pair.Length > name.Length + 1;
            });
    }
}
