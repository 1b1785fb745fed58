using System.Collections.Concurrent;

namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="ITokenStore"/> kept in memory. Rotated refresh tokens are lost with the process: use a durable store in production.</summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<(string Connector, string Account), OAuthToken> _tokens = new();

    /// <inheritdoc />
    public ValueTask<OAuthToken?> GetAsync(string connector, string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tokens.TryGetValue((connector, account), out var token) ? token : null);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string connector, string account, OAuthToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        _tokens[(connector, account)] = token;
        return ValueTask.CompletedTask;
    }
}
