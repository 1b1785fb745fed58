namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlStateStore
{
    private const string SelectTokenSql = """
        SELECT access_token, refresh_token, expires_at, expires_at_100ns, expires_at_offset
        FROM {schema}.tokens
        WHERE connector = @connector AND account = @account;
        """;

    private const string UpsertTokenSql = """
        INSERT INTO {schema}.tokens
            (connector, account, access_token, refresh_token, expires_at, expires_at_100ns, expires_at_offset, updated_at)
        VALUES
            (@connector, @account, @access_token, @refresh_token, @expires_at, @expires_at_100ns, @expires_at_offset, @updated_at)
        ON CONFLICT (connector, account) DO UPDATE SET
            access_token = excluded.access_token,
            refresh_token = excluded.refresh_token,
            expires_at = excluded.expires_at,
            expires_at_100ns = excluded.expires_at_100ns,
            expires_at_offset = excluded.expires_at_offset,
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
                AddText(parameters, "connector", key.connector);
                AddText(parameters, "account", key.account);
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
            (connector, account, token, now: _time.GetUtcNow()),
            static (parameters, value) =>
            {
                AddText(parameters, "connector", value.connector);
                AddText(parameters, "account", value.account);
                AddText(parameters, "access_token", value.token.AccessToken);
                AddText(parameters, "refresh_token", value.token.RefreshToken);
                PostgreSqlTimestamps.Add(parameters, "expires_at", value.token.ExpiresAt);
                PostgreSqlTimestamps.AddInstant(parameters, "updated_at", value.now);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
