using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>The measured figures of one fault-matrix cell.</summary>
public sealed record CellFigures(
    string Sync, string Fault, int Records, int Completed, int Filtered, int Skipped, int DeadLettered, int Ambiguous,
    int Duplicates, int Lost, int FaultsInjected, long Retries, TimeSpan Elapsed, int Replayed = 0, int DuplicatesAfterReplay = 0)
{
    public string ToRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Sync} | {Fault} | {Records} | {Completed} | {Filtered} | {Skipped} | {DeadLettered} | {Ambiguous} | {Duplicates} | {Lost} | {FaultsInjected} | {Retries} | {Replayed} | {DuplicatesAfterReplay} | {Elapsed.TotalSeconds:0.0} |");
}

/// <summary>Collects the cells of the fault matrix and writes them as a Markdown table to TestResults/fault-matrix.md.</summary>
public sealed class FaultMatrixLog : IDisposable
{
    public const string Header =
        "| sync | fault (30 %) | records | completed | filtered | skipped | dead-lettered | ambiguous | duplicates | lost | faults injected | HTTP retries | set aside, then replayed to completion | duplicates after replay | seconds |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    private readonly ConcurrentQueue<CellFigures> _cells = new();

    public void Add(CellFigures cell)
    {
        _cells.Enqueue(cell);
        Write();
    }

    public static string Path
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Integrations.Sdk.Reliability.Tests.csproj")))
            {
                directory = directory.Parent;
            }

            var root = directory?.FullName ?? AppContext.BaseDirectory;
            return System.IO.Path.Combine(root, "TestResults", "fault-matrix.md");
        }
    }

    public void Dispose() => Write();

    private void Write()
    {
        var text = new StringBuilder()
            .AppendLine("# Fault matrix (measured)")
            .AppendLine()
            .AppendLine(Header);
        foreach (var cell in _cells.OrderBy(c => c.Sync, StringComparer.Ordinal))
        {
            text.AppendLine(cell.ToRow());
        }

        var path = Path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
    }
}
