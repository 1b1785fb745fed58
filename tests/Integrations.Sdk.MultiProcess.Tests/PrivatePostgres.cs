using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>
/// A throwaway PostgreSQL server of one test, on a free port of 127.0.0.1, started from the binaries .ci/postgres.sh
/// exports (<c>INTEGRATIONS_SDK_POSTGRES_BIN</c>, run as <c>INTEGRATIONS_SDK_POSTGRES_RUN_AS</c> when set): the test
/// may restart it and end its connections without disturbing the tests that share the CI's server.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _runAs;
    private readonly string _directory;
    private readonly int _port;

    private PrivatePostgres(string bin, string runAs, string directory, int port)
    {
        _port = port;
        _bin = bin;
        _runAs = runAs;
        _directory = directory;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public string ConnectionString { get; }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("INTEGRATIONS_SDK_POSTGRES_BIN");
        if (string.IsNullOrWhiteSpace(bin) || !File.Exists(Path.Combine(bin, "pg_ctl")))
        {
            throw new InvalidOperationException(
                "INTEGRATIONS_SDK_POSTGRES_BIN does not name the directory of PostgreSQL's initdb and pg_ctl: the database fault tests " +
                "start a private server of their own, to restart it without disturbing other tests. `source .ci/postgres.sh && pg_start` " +
                "exports it (bash .ci/run does), or set it yourself (e.g. /usr/lib/postgresql/16/bin, with " +
                "INTEGRATIONS_SDK_POSTGRES_RUN_AS=postgres when running as root).");
        }

        var runAs = Environment.GetEnvironmentVariable("INTEGRATIONS_SDK_POSTGRES_RUN_AS") ?? "";
        var directory = Directory.CreateTempSubdirectory("integrations-pg-faults-").FullName;
        var server = new PrivatePostgres(bin, runAs, directory, FreePort());
        if (runAs.Length > 0)
        {
            await ShellAsync($"chown '{runAs}' '{directory}'");
        }

        await ShellAsync($"chmod 700 '{directory}' && {server.As}'{bin}/initdb' -D '{directory}/data' -U postgres -A trust -E UTF8 --no-instructions >'{directory}/initdb.log' 2>&1");
        await ShellAsync($"{server.As}'{bin}/pg_ctl' -D '{directory}/data' -l '{directory}/server.log' -w -t 60 " +
            $"-o \"-c listen_addresses=127.0.0.1 -p {server._port} -k '{directory}' -c max_connections=100 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start");
        return server;
    }

    /// <summary>Restarts the server (<c>pg_ctl restart -m fast</c>): every connection ends, new ones are refused until it is up.</summary>
    public Task RestartAsync() => ShellAsync($"{As}'{_bin}/pg_ctl' -D '{_directory}/data' -l '{_directory}/server.log' -w -t 60 -m fast restart");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ShellAsync($"{As}'{_bin}/pg_ctl' -D '{_directory}/data' -m immediate -w stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string As => _runAs.Length == 0 ? "" : $"runuser -u '{_runAs}' -- ";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ShellAsync(string command)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` failed with exit code {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
