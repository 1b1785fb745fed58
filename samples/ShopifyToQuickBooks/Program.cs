// Shopify orders → QuickBooks Online invoices, exactly once.
//
//   dotnet run --project samples/ShopifyToQuickBooks [-- --orders 200 --state shopify-to-quickbooks.db --faults 0.3 --seed 42 --dry-run --replay]
//
// Offline by default: the SDK's Shopify and QuickBooks simulators run on 127.0.0.1 and keep their data beside the
// state database. With real credentials in configuration (environment variables Shopify__ShopDomain,
// Shopify__AccessToken, QuickBooks__RealmId, QuickBooks__ClientId, QuickBooks__ClientSecret,
// QuickBooks__RefreshToken, optionally QuickBooks__Environment=Sandbox) it talks to the real APIs instead.
using System.Diagnostics.Metrics;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using ShopifyToQuickBooks;

SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var live = SampleHost.IsLive(new ConfigurationBuilder().AddEnvironmentVariables().Build());
await using var platforms = live ? null : await OfflinePlatforms.OpenAsync(options.StatePath, options.Orders, options.Seed, options.FaultRate);
var builder = SampleHost.CreateBuilder(options.StatePath, platforms);

using var host = builder.Build();
await host.StartAsync(); // validates every option: a missing credential stops here, by name
var runner = host.Services.GetRequiredService<ISyncRunner>();
var deadLetters = host.Services.GetRequiredService<IDeadLetterStore>();

AnsiConsole.MarkupLine(live ? "[bold]Live mode[/]: real Shopify and QuickBooks APIs." : $"[bold]Offline[/]: simulators on 127.0.0.1, state in [blue]{Markup.Escape(options.StatePath)}[/], faults {options.FaultRate:P0}.");
if (platforms is not null)
{
    AnsiConsole.MarkupLine($"Shop: {platforms.Shopify.Orders.Count} orders, {platforms.PaidOrdersWithKnownSkus} paid with known SKUs, {platforms.PaidOrdersWithUnknownSkus} paid with a SKU QuickBooks lacks.");
}

RunReport report = null!;
await AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .StartAsync(async progress =>
    {
        var task = progress.AddTask("orders", maxValue: Math.Max(1, platforms?.Shopify.Orders.Count ?? 100));
        task.IsIndeterminate = platforms is null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IntegrationsTelemetry.Name && instrument.Name == "integrations.records")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => task.Increment(value));
        listener.Start();
        report = await runner.RunAsync(OrdersToInvoices.SyncName, new RunOptions { DryRun = options.DryRun });
        task.Value = task.MaxValue;
    });

if (options.Replay && platforms is not null)
{
    // What a person does after reading the dead letters: add the missing items in QuickBooks, then replay.
    platforms.AddMissingItems();
    foreach (var entry in await deadLetters.ListAsync(OrdersToInvoices.SyncName, limit: 1000))
    {
        var replay = await runner.ReplayAsync(entry.Id);
        AnsiConsole.MarkupLine($"replayed {Markup.Escape(entry.RecordKey)}: {replay.Records.FirstOrDefault()?.Outcome}");
    }
}

var table = new Table().Title("Run summary").AddColumn("outcome").AddColumn(new TableColumn("records").RightAligned());
var s = report.Summary;
foreach (var (name, count) in new[] { ("read", s.Read), ("completed", s.Completed), ("skipped (done before)", s.Skipped), ("filtered (not paid)", s.Filtered), ("dead-lettered", s.DeadLettered), ("ambiguous", s.Ambiguous) })
{
    table.AddRow(name, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

AnsiConsole.Write(table);
foreach (var problem in report.Records.Take(10))
{
    AnsiConsole.MarkupLine($"[yellow]{problem.Outcome}[/] {Markup.Escape(problem.RecordKey)}: {Markup.Escape(problem.Reason ?? "")}");
}

var waiting = await deadLetters.ListAsync(OrdersToInvoices.SyncName, limit: 1000);
if (waiting.Count > 0 && !options.Replay)
{
    AnsiConsole.MarkupLine($"{waiting.Count} order(s) wait in the dead-letter store. Add the missing items in QuickBooks, then replay: [blue]--replay[/] does both offline (ISyncRunner.ReplayAsync).");
}

if (options.DryRun)
{
    AnsiConsole.MarkupLine($"Dry run: {report.PlannedWrites.Count} write(s) planned, none made.");
}

if (platforms is not null)
{
    await platforms.SaveAsync();
}

await host.StopAsync();
Console.WriteLine($"summary: {report}");
if (platforms is not null)
{
    Console.WriteLine($"simulator: invoices={platforms.QuickBooks.Invoices.Count} duplicates={platforms.QuickBooks.DuplicateInvoices.Count}");
}

return report.Summary.Status == RunStatus.Succeeded ? 0 : 1;
