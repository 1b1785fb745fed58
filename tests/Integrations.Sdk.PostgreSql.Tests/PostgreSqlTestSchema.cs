namespace Integrations.Sdk.PostgreSql.Tests;

/// <summary>
/// A fresh schema with a random name for one test. Nothing touches the server until <see cref="Open"/>; disposing it
/// disposes every store opened through it and drops the schema.
/// </summary>
public sealed class PostgreSqlTestSchema : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private bool _used;

    /// <summary>The schema's name.</summary>
    public string Name { get; } = PostgreSqlTestServer.NewSchemaName();

    /// <summary>Options for a store or lock on this schema (skips the test when there is no server).</summary>
    public PostgreSqlStateOptions Options(TimeProvider? time = null, TimeSpan? lockCheckInterval = null)
    {
        var options = new PostgreSqlStateOptions
        {
            ConnectionString = PostgreSqlTestServer.RequireConnectionString(),
            Schema = Name,
            TimeProvider = time ?? TimeProvider.System,
        };
        if (lockCheckInterval is { } interval)
        {
            options.LockCheckInterval = interval;
        }

        lock (_owned)
        {
            _used = true;
        }

        return options;
    }

    /// <summary>Opens a store (its own data source, like another host instance) on the schema.</summary>
    public PostgreSqlStateStore Open(TimeProvider? time = null) => Own(new PostgreSqlStateStore(Options(time)));

    /// <summary>Creates a lock (its own connection, like another host instance) scoped to the schema.</summary>
    public PostgreSqlLock Lock(TimeProvider? time = null, TimeSpan? lockCheckInterval = null) =>
        Own(new PostgreSqlLock(Options(time, lockCheckInterval)));

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> owned;
        bool used;
        lock (_owned)
        {
            owned = [.. _owned];
            used = _used;
        }

        foreach (var item in owned)
        {
            await item.DisposeAsync();
        }

        if (used)
        {
            await PostgreSqlTestServer.ScalarAsync($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE;");
        }
    }

    private T Own<T>(T item)
        where T : IAsyncDisposable
    {
        lock (_owned)
        {
            _owned.Add(item);
        }

        return item;
    }
}
