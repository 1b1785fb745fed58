using System.Text.RegularExpressions;
using Integrations.Sdk.LoadBench;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>The load bench still runs end to end in its smoke mode; no timing is asserted.</summary>
public sealed class LoadBenchSmokeTests
{
    [Fact]
    public async Task RunAsync_Smoke_PrintsTheBenchLineWithAllSixFields()
    {
        using var output = new StringWriter();

        var exitCode = await Bench.RunAsync(["--smoke"], output);

        exitCode.Should().Be(0, output.ToString());
        var last = output.ToString().TrimEnd().Split('\n')[^1].TrimEnd('\r');
        last.Should().MatchRegex(
            @"^bench: sdk_rps=\d+ handwritten_rps=\d+ ratio=\d+\.\d\d sqlite_rps=\d+ webhook_rps=\d+ backfill_peak_mb=\d+$");
        Regex.Matches(last, @"=\d").Count.Should().Be(6);
        output.ToString().Should().NotMatchRegex(@"duplicates=[1-9]", "no scenario may write an invoice twice");
    }
}
