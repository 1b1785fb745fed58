using System.Collections.Concurrent;
using System.Diagnostics;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>A worker process started by a test, whose output lines are collected and which can be killed with SIGKILL.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>The worker's assembly, built beside this test project (same configuration and framework).</summary>
    public static string WorkerPath
    {
        get
        {
            var testDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var path = testDirectory.Replace("Integrations.Sdk.MultiProcess.Tests", "Integrations.Sdk.MultiProcess.Worker", StringComparison.Ordinal);
            var dll = Path.Combine(path, "Integrations.Sdk.MultiProcess.Worker.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The worker was not built at {dll}; build the solution first.", dll);
        }
    }

    public static ChildProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(WorkerPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The child must not inherit a test host's diagnostics settings.
        info.Environment.Remove("DOTNET_STARTUP_HOOKS");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._lines.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._lines.Enqueue("stderr: " + e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Kills the process with SIGKILL (what <see cref="Process.Kill()"/> sends on Unix): no cleanup code runs.</summary>
    public void KillHard()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.WaitForExit();
    }

    /// <summary>Sends SIGKILL without waiting for the exit (safe to call from inside a request the child made).</summary>
    public void KillNow()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            throw new TimeoutException($"The worker did not finish within {timeout}. Output:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public string Output => string.Join('\n', _lines.TakeLast(60));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }
}

/// <summary>Bounded waits for conditions other processes bring about, without fixed sleeps.</summary>
public static class Eventually
{
    public static Task Until(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        Until(() => Task.FromResult(condition()), timeout, what);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(1);
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what()}.");
            }

            // Polling another process: yield briefly, growing up to 20 ms, so the wait costs little CPU.
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(20, pause.TotalMilliseconds * 2));
        }
    }
}
