using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.LoadBench;

/// <summary>
/// A fast QuickBooks-like sink on 127.0.0.1 (minimal Kestrel, source-generated JSON): find a customer by email,
/// create a customer, create an invoice (both with <c>?requestid=</c>, required). It keeps customers by email (few),
/// and marks invoices in a bit set by order number, so it counts duplicates in flat memory however many invoices a
/// run creates. It does not store answers by request id: no faults are injected here, so nothing is resent.
/// </summary>
public sealed class Sink : IAsyncDisposable
{
    public const string Realm = "bench";
    private const int MaxDocNumber = 1 << 22;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Customer> _customers = new(StringComparer.Ordinal);
    private readonly long[] _invoiced = new long[MaxDocNumber / 64];
    private long _requests;
    private long _invoices;
    private long _duplicates;
    private long _customerIds;

    private Sink(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    public long Invoices => Interlocked.Read(ref _invoices);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public static async Task<Sink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        var sink = new Sink(app);
        var prefix = $"/v3/company/{Realm}";
        app.MapGet(prefix + "/customers", new RequestDelegate(sink.FindCustomerAsync));
        app.MapPost(prefix + "/customer", new RequestDelegate(sink.CreateCustomerAsync));
        app.MapPost(prefix + "/invoice", new RequestDelegate(sink.CreateInvoiceAsync));
        await app.StartAsync().ConfigureAwait(false);
        sink.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return sink;
    }

    /// <summary>Forgets every customer and invoice, between scenarios.</summary>
    public void Reset()
    {
        _customers.Clear();
        Array.Clear(_invoiced);
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _invoices, 0);
        Interlocked.Exchange(ref _duplicates, 0);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task FindCustomerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var email = context.Request.Query["email"].ToString();
        _customers.TryGetValue(email, out var customer);
        return context.Response.WriteAsJsonAsync(new CustomerEnvelope { Customer = customer }, BenchJson.Default.CustomerEnvelope);
    }

    private async Task CreateCustomerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (string.IsNullOrEmpty(context.Request.Query["requestid"].ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var draft = await context.Request.ReadFromJsonAsync(BenchJson.Default.CustomerDraft).ConfigureAwait(false);
        if (draft is null || draft.Email.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var customer = _customers.GetOrAdd(draft.Email, static (email, s) => new Customer
        {
            Id = Interlocked.Increment(ref s.Sink._customerIds).ToString(CultureInfo.InvariantCulture),
            Email = email,
            DisplayName = s.Name,
        }, (Sink: this, Name: draft.DisplayName));
        await context.Response.WriteAsJsonAsync(new CustomerEnvelope { Customer = customer }, BenchJson.Default.CustomerEnvelope).ConfigureAwait(false);
    }

    private async Task CreateInvoiceAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (string.IsNullOrEmpty(context.Request.Query["requestid"].ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var draft = await context.Request.ReadFromJsonAsync(BenchJson.Default.InvoiceDraft).ConfigureAwait(false);
        if (draft is null || draft.CustomerId.Length == 0 || draft.Lines.Count == 0
            || !int.TryParse(draft.DocNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number >= MaxDocNumber)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var bit = 1L << (number & 63);
        var before = Interlocked.Or(ref _invoiced[number >> 6], bit);
        Interlocked.Increment(ref (before & bit) == 0 ? ref _invoices : ref _duplicates);
        await context.Response.WriteAsJsonAsync(
            new InvoiceEnvelope { Invoice = new Invoice { Id = "INV-" + draft.DocNumber, DocNumber = draft.DocNumber } },
            BenchJson.Default.InvoiceEnvelope).ConfigureAwait(false);
    }
}
