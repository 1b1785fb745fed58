using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Integrations.Sdk.PostgreSql;

/// <summary>
/// Rides through a server restart, a failover or a terminated connection: a statement that failed because the
/// connection was lost or refused is tried again (with a fresh connection), with exponential backoff, for up to
/// about <see cref="TransientRetryBudget"/>; any other error is thrown at once.
/// </summary>
public sealed partial class PostgreSqlStateStore
{
    /// <summary>How long, about, a statement keeps being retried while the server cannot be reached.</summary>
    internal static readonly TimeSpan TransientRetryBudget = TimeSpan.FromSeconds(30);

    private ResiliencePipeline? _transient;

    /// <summary>Retries transient connection failures; built on first use, with the store's clock.</summary>
    private ResiliencePipeline Transient => _transient ??= new ResiliencePipelineBuilder { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),

            // 100 ms doubling up to 2 s: about 30 s in all, more than a server restart takes.
            MaxRetryAttempts = 19,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
            OnRetry = _ =>
            {
                // Every pooled connection is likely dead too (a restart ends them all): drop them, so the next try
                // opens a fresh one rather than failing on the next stale one.
                _dataSource.Clear();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>
    /// Whether <paramref name="exception"/> means the connection was lost or refused, not that the statement is wrong:
    /// class 08 (connection exception), 57P01 admin_shutdown (a restart or <c>pg_terminate_backend</c>), 57P02
    /// crash_shutdown, 57P03 cannot_connect_now (the server is starting), or a socket or stream failure.
    /// </summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or EndOfStreamException,
        SocketException or IOException or EndOfStreamException => true,
        _ => false,
    };
}
