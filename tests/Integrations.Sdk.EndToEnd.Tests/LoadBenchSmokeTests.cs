using System.Text.RegularExpressions;
using Integrations.Sdk.LoadBench;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>The load bench still runs end to end in its smoke mode; no timing is asserted.</summary>
public sealed class LoadBenchSmokeTests
{
    [Fact]
    public async Task RunAsync_Smoke_PrintsTheBenchLine_WithWorkDoneAndOneInvoicePerCompletedRecord()
    {
        using var output = new StringWriter();

        var exitCode = await Bench.RunAsync(["--smoke"], output);

        exitCode.Should().Be(0, output.ToString());
        var last = output.ToString().TrimEnd().Split('\n')[^1].TrimEnd('\r');
        last.Should().MatchRegex(
            @"^bench: sdk_rps=\d+ handwritten_rps=\d+ ratio=\d+\.\d\d sqlite_rps=\d+ webhook_rps=\d+ backfill_peak_mb=\d+$");
        Regex.Matches(last, @"=\d").Count.Should().Be(6);
        foreach (var rate in new[] { "sdk_rps", "handwritten_rps", "sqlite_rps", "webhook_rps" })
        {
            int.Parse(Regex.Match(last, rate + @"=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                .Should().BePositive($"{rate} is a rate of work actually done; zero means a scenario did nothing");
        }

        var text = output.ToString();
        text.Should().NotContain("sink: invoices=", "every scenario's sink must hold exactly one invoice per completed record (the bench prints the counts only when they differ)");
        Regex.Matches(text, "sink: invoices match, 0 duplicates").Count.Should().BeGreaterThanOrEqualTo(4, "each SDK and hand-written scenario checks its sink");
        text.Should().MatchRegex(@"inbox completed=(\d+) dead-lettered=0").And.NotMatchRegex(@"inbox completed=0 ");
    }
}
