using Npgsql;

namespace Integrations.Sdk.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests use, named by the environment variable <c>INTEGRATIONS_SDK_POSTGRES</c>. Without it,
/// the tests are skipped, except in CI (<c>INTEGRATIONS_SDK_CI=1</c>), where they fail.
/// </summary>
public static class PostgreSqlTestServer
{
    /// <summary>The variable that holds the connection string.</summary>
    public const string ConnectionStringVariable = "INTEGRATIONS_SDK_POSTGRES";

    /// <summary>The variable that marks a CI run, where a missing server is an error.</summary>
    public const string CiVariable = "INTEGRATIONS_SDK_CI";

    /// <summary>Returns the connection string, or skips (fails in CI) the current test when there is none.</summary>
    public static string RequireConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (Environment.GetEnvironmentVariable(CiVariable) == "1")
        {
            throw new InvalidOperationException($"{ConnectionStringVariable} is not set; .ci/run should have started PostgreSQL.");
        }

        Skip.If(
            true,
            $"PostgreSQL tests need a server: set {ConnectionStringVariable} to an Npgsql connection string, for example " +
            $"{ConnectionStringVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=integrations_ci\" dotnet test tests/Integrations.Sdk.PostgreSql.Tests");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>A fresh, random schema name for one test.</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N");

    /// <summary>Opens an unpooled connection for inspecting or disturbing the server.</summary>
    public static async Task<NpgsqlConnection> OpenAdminConnectionAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(RequireConnectionString()) { Pooling = false, ApplicationName = "Integrations.Sdk tests" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs one statement on a fresh admin connection and returns its scalar result.</summary>
    public static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAdminConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Waits, up to <paramref name="timeout"/> (default 15 s), until <paramref name="condition"/> holds, checking every
    /// 20 ms; fails the test with <paramref name="what"/> otherwise. For outcomes that depend on a real server's timing.
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
