using Microsoft.Data.Sqlite;

namespace Integrations.Sdk.Sqlite.Tests;

/// <summary>
/// A database file in a fresh temporary directory (which does not exist until a store creates it). Disposing it
/// disposes every store opened through it and deletes the directory with the file and its WAL companions.
/// </summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private readonly List<SqliteStateStore> _stores = [];
    private readonly string _directory =
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "integrations-sdk-sqlite-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase() => Path = System.IO.Path.Combine(_directory, "state.db");

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens a store on the file; it is disposed with this object if the test does not dispose it first.</summary>
    public SqliteStateStore Open()
    {
        var store = new SqliteStateStore(Path);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>Opens a raw, unpooled connection to the file, for inspecting it.</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        lock (_stores)
        {
            foreach (var store in _stores)
            {
                store.Dispose();
            }
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
