// Store orders → books, exactly once: Shopify or WooCommerce into QuickBooks Online or Xero.
//
//   dotnet run --project samples/ShopifyToQuickBooks [-- --store shopify|woocommerce --books quickbooks|xero
//       --orders 200 --state shopify-to-quickbooks.db --faults 0.3 --seed 42 --dry-run --replay]
//
// Offline by default: the SDK's simulators of the chosen store and books run on 127.0.0.1 and keep their data beside
// the state database; one sync (OrdersToBooks) serves all four pairs. With real credentials in configuration
// (environment variables Shopify__ShopDomain, Shopify__AccessToken, QuickBooks__RealmId, QuickBooks__ClientId,
// QuickBooks__ClientSecret, QuickBooks__RefreshToken, optionally QuickBooks__Environment=Sandbox) it talks to the real
// Shopify and QuickBooks APIs instead, with the classic invoices-only sync (OrdersToInvoices).
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
if (live && (options.Store != "shopify" || options.Books != "quickbooks"))
{
    Console.Error.WriteLine($"Live mode connects Shopify to QuickBooks only (credentials are in the environment); --store {options.Store} --books {options.Books} runs offline, without them.");
    return 2;
}

OfflinePlatforms? platforms = null;
if (!live)
{
    try
    {
        platforms = await OfflinePlatforms.OpenAsync(options.StatePath, options.Store, options.Books, options.Orders, options.Seed, options.FaultRate);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

await using var disposePlatforms = platforms;
var syncName = platforms?.SyncName ?? OrdersToInvoices.SyncName;
var builder = SampleHost.CreateBuilder(options.StatePath, platforms, concurrency: 8);

using var host = builder.Build();
await host.StartAsync(); // validates every option: a missing credential stops here, by name
var runner = host.Services.GetRequiredService<ISyncRunner>();
var deadLetters = host.Services.GetRequiredService<IDeadLetterStore>();

AnsiConsole.MarkupLine(live
    ? "[bold]Live mode[/]: real Shopify and QuickBooks APIs."
    : $"[bold]Offline[/]: {options.Store} → {options.Books} simulators on 127.0.0.1, state in [blue]{Markup.Escape(options.StatePath)}[/], faults {options.FaultRate:P0}.");
var records = 100;
if (platforms?.Seed is { } seed)
{
    var booked = seed.Orders.Count(o => o.IsBooked);
    var refunds = seed.Orders.Sum(o => o.Refunds.Count);
    records = seed.Orders.Count + refunds;
    AnsiConsole.MarkupLine($"Shop: {seed.Orders.Count} orders ({booked} paid, {seed.Orders.Count - booked} pending or cancelled), {refunds} refunds, {seed.Orders.Count(o => o.Sale.Currency != SampleShop.HomeCurrency)} in {SampleShop.ForeignCurrency}.");
}

RunReport report = null!;
await AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .StartAsync(async progress =>
    {
        var task = progress.AddTask("orders and refunds", maxValue: Math.Max(1, records));
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
        report = await runner.RunAsync(syncName, new RunOptions { DryRun = options.DryRun });
        task.Value = task.MaxValue;
    });

if (options.Replay)
{
    // What a person does after reading the dead letters: fix the cause (in the classic shop, add the missing items to
    // QuickBooks), then replay.
    platforms?.AddMissingItems();
    foreach (var entry in await deadLetters.ListAsync(syncName, limit: 1000))
    {
        var replay = await runner.ReplayAsync(entry.Id);
        AnsiConsole.MarkupLine($"replayed {Markup.Escape(entry.RecordKey)}: {replay.Records.FirstOrDefault()?.Outcome}");
    }
}

var table = new Table().Title("Run summary").AddColumn("outcome").AddColumn(new TableColumn("records").RightAligned());
var s = report.Summary;
foreach (var (name, count) in new[] { ("read", s.Read), ("completed", s.Completed), ("skipped (done before)", s.Skipped), ("filtered (not booked)", s.Filtered), ("dead-lettered", s.DeadLettered), ("ambiguous", s.Ambiguous) })
{
    table.AddRow(name, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

AnsiConsole.Write(table);
foreach (var problem in report.Records.Take(10))
{
    AnsiConsole.MarkupLine($"[yellow]{problem.Outcome}[/] {Markup.Escape(problem.RecordKey)}: {Markup.Escape(problem.Reason ?? "")}");
}

var waiting = await deadLetters.ListAsync(syncName, limit: 1000);
if (waiting.Count > 0 && !options.Replay)
{
    AnsiConsole.MarkupLine($"{waiting.Count} record(s) wait in the dead-letter store. Fix what their reason names, then replay: [blue]--replay[/] replays them offline (ISyncRunner.ReplayAsync).");
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
if (platforms?.Seed is { } shop)
{
    var books = platforms.ReadBooks();
    Console.WriteLine(books.ToLine(SampleShop.ExpectedRevenue(shop.Orders)));
    Console.WriteLine(platforms.CheckInventory());
    Console.WriteLine($"summary: {report}");
    Console.WriteLine($"simulator: invoices={books.Invoices} duplicates={books.Duplicates}");
}
else
{
    Console.WriteLine($"summary: {report}");
    if (platforms is not null)
    {
        Console.WriteLine($"simulator: invoices={platforms.QuickBooks.Invoices.Count} duplicates={platforms.QuickBooks.DuplicateInvoices.Count}");
    }
}

return report.Summary.Status == RunStatus.Succeeded ? 0 : 1;
