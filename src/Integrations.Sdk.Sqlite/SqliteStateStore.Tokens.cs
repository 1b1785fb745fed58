namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string SelectTokenSql = """
        SELECT access_token, refresh_token, expires_at
        FROM tokens
        WHERE connector = $connector AND account = $account;
        """;

    private const string UpsertTokenSql = """
        INSERT INTO tokens (connector, account, access_token, refresh_token, expires_at, updated_at)
        VALUES ($connector, $account, $access_token, $refresh_token, $expires_at, $updated_at)
        ON CONFLICT (connector, account) DO UPDATE SET
            access_token = excluded.access_token,
            refresh_token = excluded.refresh_token,
            expires_at = excluded.expires_at,
            updated_at = excluded.updated_at;
        """;

    /// <inheritdoc />
    async ValueTask<OAuthToken?> ITokenStore.GetAsync(string connector, string account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(account);
        var rows = await ReadAsync(
            SelectTokenSql,
            (connector, account),
            static (parameters, key) =>
            {
                parameters.AddWithValue("$connector", key.connector);
                parameters.AddWithValue("$account", key.account);
            },
            Rows.Token,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    async ValueTask ITokenStore.SaveAsync(string connector, string account, OAuthToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(token);
        await WriteAsync(
            UpsertTokenSql,
            (connector, account, token, now: Now()),
            static (parameters, value) =>
            {
                parameters.AddWithValue("$connector", value.connector);
                parameters.AddWithValue("$account", value.account);
                parameters.AddWithValue("$access_token", value.token.AccessToken);
                parameters.AddWithValue("$refresh_token", DbValue(value.token.RefreshToken));
                parameters.AddWithValue("$expires_at", FormatTimestamp(value.token.ExpiresAt));
                parameters.AddWithValue("$updated_at", value.now);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
