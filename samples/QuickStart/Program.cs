// Quick start: web-store orders become invoices in an invoicing API, exactly once, with state in SQLite.
// Runs offline: the "invoicing API" is a tiny fake served on 127.0.0.1 by this process, and it fails on purpose
// (--faults RATE) with 503s, 429s and writes whose response is lost, to show retries that never duplicate.
//
//   dotnet run --project samples/QuickStart [-- --orders 40 --faults 0.2 --state quickstart.db --dry-run]
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QuickStart;

var options = SampleOptions.Parse(args);

// 1. The fake invoicing platform (stand-in for QuickBooks, Xero...).
await using var platform = await FakeInvoicingApi.StartAsync(options.FaultRate, options.Seed);

// 2. The integration: SQLite state, a connector client and one sync, in an ordinary .NET host.
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Polly", LogLevel.Error); // the SDK logs each retry itself, in one line
builder.Services.AddSingleton(new OrderFeed(options.Orders, options.Seed));
var integrations = builder.Services.AddIntegrations().UseSqliteState(options.StatePath);
integrations.AddConnectorClient<IInvoicingApi>("invoicing", (_, http) =>
{
    http.BaseAddress = platform.BaseAddress;
    http.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
    http.RateLimit = new RateLimitOptions { PermitsPerWindow = 200, Window = TimeSpan.FromSeconds(1) };
});
integrations.AddSync<ShopOrder>("orders-to-invoices", sync => sync
        .FromFull(sp => sp.GetRequiredService<OrderFeed>())
        .Key(order => $"shop:order:{order.Id}")
        .Where(order => order.FinancialStatus == "paid")
        .WithConcurrency(8)
        .WithStepRetries(4, TimeSpan.FromMilliseconds(50))
        .Map(Mappings.OrderToInvoice)
        .Step("invoice", WriteSafety.IdempotencyKey, (invoice, step, ct) =>
            step.Get<IInvoicingApi>().CreateInvoiceAsync(invoice, step.IdempotencyKey, ct)));

using var host = builder.Build();
await host.StartAsync(); // validates every option first: a missing setting fails here, by name
var runner = host.Services.GetRequiredService<ISyncRunner>();

Console.WriteLine("How an order maps to an invoice:");
Console.WriteLine(Mappings.OrderToInvoice.Description.ToMarkdown());

// 3. Run it. A second run with the same --state finds every order done and writes nothing.
var report = await runner.RunAsync("orders-to-invoices", new RunOptions { DryRun = options.DryRun });

foreach (var problem in report.Records)
{
    Console.WriteLine($"  {problem.Outcome,-12} {problem.RecordKey}: {problem.Reason}");
}

if (options.DryRun)
{
    Console.WriteLine($"dry run: {report.PlannedWrites.Count} invoice(s) would be created");
}

var deadLetters = await host.Services.GetRequiredService<IDeadLetterStore>().ListAsync("orders-to-invoices");
if (deadLetters.Count > 0)
{
    Console.WriteLine($"{deadLetters.Count} record(s) wait in the dead-letter store; fix the data and call ISyncRunner.ReplayAsync(id, editedPayload).");
}

Console.WriteLine($"summary: {report}");
Console.WriteLine($"platform: invoices={platform.Invoices} duplicates={platform.Duplicates} faults={platform.FaultsInjected}");
await host.StopAsync();
return report.Summary.Status == RunStatus.Succeeded ? 0 : 1;

namespace QuickStart
{
    /// <summary>An order as the web store sends it.</summary>
    public sealed record ShopOrder(long Id, string? Email, string FinancialStatus, long TotalCents, string Currency);

    /// <summary>An invoice as the invoicing API takes it.</summary>
    public sealed class Invoice
    {
        public string CustomerEmail { get; set; } = "";

        public decimal Amount { get; set; }

        public string Currency { get; set; } = "";

        public string DocNumber { get; set; } = "";
    }

    public sealed record CreatedInvoice(string Id);

    /// <summary>The invoicing API's typed client (Refit, source-generated).</summary>
    public interface IInvoicingApi
    {
        [Refit.Post("/invoices")]
        Task<CreatedInvoice> CreateInvoiceAsync([Refit.Body] Invoice invoice, [Refit.Header("Idempotency-Key")] string idempotencyKey, CancellationToken cancellationToken);
    }

    public static class Mappings
    {
        public static readonly Mapper<ShopOrder, Invoice> OrderToInvoice = Mapper.Create<ShopOrder, Invoice>(m => m
            .Field(i => i.CustomerEmail, o => o.Email, "lowercase", e => e!.Trim().ToLowerInvariant()).Required()
            .Field(i => i.Amount, o => o.TotalCents, "cents to amount", c => c / 100m)
            .Field(i => i.Currency, o => o.Currency, "uppercase", c => c.ToUpperInvariant()).Required()
            .Field(i => i.DocNumber, o => o.Id, "prefix WEB-", id => $"WEB-{id}"));
    }

    /// <summary>The web store's orders: a full read, paged behind IAsyncEnumerable. A few have no email.</summary>
    public sealed class OrderFeed(int count, int seed) : IRecordSource<ShopOrder>
    {
        public async IAsyncEnumerable<SourceRecord<ShopOrder>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var random = new Random(seed);
            for (var id = 1001; id < 1001 + count; id++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var status = random.NextDouble() < 0.8 ? "paid" : "pending";
                var email = id % 17 == 0 ? null : $"Customer{random.Next(1, count / 2 + 2)}@Example.com";
                yield return new SourceRecord<ShopOrder>(new ShopOrder(id, email, status, random.Next(500, 50_000), "usd"), null);
                if (id % 25 == 0)
                {
                    await Task.Yield(); // a page boundary
                }
            }
        }
    }

    /// <summary>A fake invoicing API on 127.0.0.1 that deduplicates by Idempotency-Key and injects faults.</summary>
    public sealed class FakeInvoicingApi : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, string> _byKey = new();
        private readonly ConcurrentDictionary<string, int> _byDocNumber = new();
        private readonly Random _random;
        private readonly double _faultRate;
        private int _faults;

        private FakeInvoicingApi(WebApplication app, double faultRate, int seed)
        {
            _app = app;
            _faultRate = faultRate;
            _random = new Random(seed);
        }

        public Uri BaseAddress { get; private set; } = null!;

        public int Invoices => _byDocNumber.Count;

        public int Duplicates => _byDocNumber.Values.Sum(n => n - 1);

        public int FaultsInjected => _faults;

        public static async Task<FakeInvoicingApi> StartAsync(double faultRate, int seed)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var api = new FakeInvoicingApi(app, faultRate, seed);
            app.MapPost("/invoices", api.CreateAsync);
            await app.StartAsync();
            api.BaseAddress = new Uri(app.Urls.First());
            return api;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();

        private async Task<IResult> CreateAsync(HttpRequest request)
        {
            var invoice = await request.ReadFromJsonAsync<Invoice>();
            if (invoice is null || string.IsNullOrEmpty(invoice.CustomerEmail))
            {
                return Results.BadRequest(new { error = new { code = "missing_email", message = "CustomerEmail is required" } });
            }

            double roll;
            lock (_random)
            {
                roll = _random.NextDouble();
            }

            if (roll < _faultRate / 3)
            {
                Interlocked.Increment(ref _faults);
                return Results.StatusCode(503);
            }

            if (roll < _faultRate * 2 / 3)
            {
                Interlocked.Increment(ref _faults);
                request.HttpContext.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(429);
            }

            var key = request.Headers["Idempotency-Key"].ToString();
            var created = false;
            var id = string.IsNullOrEmpty(key)
                ? Guid.NewGuid().ToString("N")
                : _byKey.GetOrAdd(key, _ => { created = true; return "INV-" + invoice.DocNumber; });
            if (created || string.IsNullOrEmpty(key))
            {
                _byDocNumber.AddOrUpdate(invoice.DocNumber, 1, (_, n) => n + 1);
            }

            if (roll < _faultRate)
            {
                // Commit, then lose the response: the client cannot know the invoice exists.
                Interlocked.Increment(ref _faults);
                return Results.StatusCode(502);
            }

            return Results.Ok(new CreatedInvoice(id));
        }
    }

    internal sealed record SampleOptions(int Orders, double FaultRate, string StatePath, int Seed, bool DryRun)
    {
        public static SampleOptions Parse(string[] args)
        {
            var orders = 40;
            var faults = 0.2;
            var state = "quickstart.db";
            var seed = 7;
            var dryRun = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--orders": orders = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--faults": faults = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--state": state = Next(); break;
                    case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--dry-run": dryRun = true; break;
                    default: throw new ArgumentException($"unknown option {args[i]}; use --orders N --faults RATE --state PATH --seed N --dry-run");
                }
            }

            return new SampleOptions(orders, Math.Clamp(faults, 0, 1), state, seed, dryRun);
        }
    }
}
