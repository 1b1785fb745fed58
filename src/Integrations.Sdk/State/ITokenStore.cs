namespace Integrations.Sdk.State;

/// <summary>
/// Persists OAuth tokens per connector and account. A rotated refresh token is saved here before it is used,
/// so a crash right after a refresh never strands the integration with a spent token.
/// </summary>
public interface ITokenStore
{
    /// <summary>Returns the stored token, or <see langword="null"/>.</summary>
    /// <param name="connector">The connector's name, for example <c>quickbooks</c>.</param>
    /// <param name="account">The account or tenant (realm id, tenant id, shop domain).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<OAuthToken?> GetAsync(string connector, string account, CancellationToken cancellationToken = default);

    /// <summary>Stores the token, replacing any previous one. Durable once the call returns.</summary>
    /// <param name="connector">The connector's name.</param>
    /// <param name="account">The account or tenant.</param>
    /// <param name="token">The token.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SaveAsync(string connector, string account, OAuthToken token, CancellationToken cancellationToken = default);
}
