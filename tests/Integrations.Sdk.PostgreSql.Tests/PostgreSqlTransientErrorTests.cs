using System.Net.Sockets;
using Integrations.Sdk.PostgreSql;
using Npgsql;

namespace Integrations.Sdk.PostgreSql.Tests;

/// <summary>Which errors the store retries: a lost or refused connection, never a wrong statement.</summary>
public sealed class PostgreSqlTransientErrorTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: a restart, or pg_terminate_backend
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now: the server is starting
    [InlineData("08006")] // connection_failure
    [InlineData("08001")] // sqlclient_unable_to_establish_sqlconnection
    public void ConnectionErrors_AreRetried(string sqlState)
    {
        PostgreSqlStateStore.IsTransient(new PostgresException("gone", "FATAL", "FATAL", sqlState)).Should().BeTrue();
    }

    [Theory]
    [InlineData("42P01")] // undefined_table
    [InlineData("23505")] // unique_violation
    [InlineData("22P02")] // invalid_text_representation
    [InlineData("42501")] // insufficient_privilege
    public void StatementErrors_AreNotRetried(string sqlState)
    {
        PostgreSqlStateStore.IsTransient(new PostgresException("wrong", "ERROR", "ERROR", sqlState)).Should().BeFalse();
    }

    [Fact]
    public void RefusedOrBrokenSockets_AreRetried()
    {
        PostgreSqlStateStore.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))).Should().BeTrue();
        PostgreSqlStateStore.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("reset"))).Should().BeTrue();
        PostgreSqlStateStore.IsTransient(new InvalidOperationException("a bug")).Should().BeFalse();
    }
}
