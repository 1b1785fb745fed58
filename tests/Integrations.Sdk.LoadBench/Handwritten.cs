using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Integrations.Sdk.LoadBench;

/// <summary>
/// The same work written by hand, as well as we know how: a named client from IHttpClientFactory with a Polly
/// retry (exponential backoff with jitter) and an attempt timeout, source-generated JSON, the mapping in plain
/// code, idempotency keys from the order id, and <see cref="Parallel.ForEachAsync{TSource}(IAsyncEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
/// with the same concurrency. No step memo, no dead letters, no per-key locks, no telemetry.
/// </summary>
public sealed class Handwritten : IDisposable
{
    private const string ClientName = "books-by-hand";
    private const string Prefix = "v3/company/" + Sink.Realm;
    private readonly ServiceProvider _services;
    private readonly IHttpClientFactory _factory;
    private long _completed;
    private long _failed;

    public Handwritten(Uri baseAddress)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpClient(ClientName, client =>
            {
                client.BaseAddress = baseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan; // Polly owns timeouts.
            })
            .RemoveAllLoggers()
            .AddResilienceHandler("retry", pipeline => pipeline
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 4,
                    Delay = TimeSpan.FromMilliseconds(50),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .AddTimeout(TimeSpan.FromSeconds(30)));
        _services = services.BuildServiceProvider();
        _factory = _services.GetRequiredService<IHttpClientFactory>();
    }

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public async Task RunAsync(IAsyncEnumerable<BenchOrder> orders, int concurrency, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(orders, options, async (order, ct) =>
        {
            if (order.FinancialStatus != "paid")
            {
                return;
            }

            try
            {
                var mapped = OrderMapping.MapByHand(order);
                var client = _factory.CreateClient(ClientName);
                var customer = await FindOrCreateCustomerAsync(client, order.Id, mapped, ct).ConfigureAwait(false);
                var key = string.Create(CultureInfo.InvariantCulture, $"{order.Id}-invoice");
                using var response = await client.PostAsJsonAsync($"{Prefix}/invoice?requestid={key}", OrderMapping.ToInvoice(mapped, customer.Id), BenchJson.Default.InvoiceDraft, ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                var invoice = await response.Content.ReadFromJsonAsync(BenchJson.Default.InvoiceEnvelope, ct).ConfigureAwait(false);
                _ = invoice?.Invoice ?? throw new InvalidOperationException("the sink returned no invoice");
                Interlocked.Increment(ref _completed);
            }
            catch (Exception ex) when (ex is HttpRequestException or FormatException or InvalidOperationException)
            {
                Interlocked.Increment(ref _failed);
            }
        }).ConfigureAwait(false);
    }

    public void Dispose() => _services.Dispose();

    private static async Task<Customer> FindOrCreateCustomerAsync(HttpClient client, long orderId, MappedOrder order, CancellationToken cancellationToken)
    {
        var found = await client.GetFromJsonAsync($"{Prefix}/customers?email={Uri.EscapeDataString(order.Header.CustomerEmail)}", BenchJson.Default.CustomerEnvelope, cancellationToken).ConfigureAwait(false);
        if (found?.Customer is { } customer)
        {
            return customer;
        }

        var draft = new CustomerDraft { DisplayName = order.Header.CustomerName, Email = order.Header.CustomerEmail };
        var key = string.Create(CultureInfo.InvariantCulture, $"{orderId}-customer");
        using var response = await client.PostAsJsonAsync($"{Prefix}/customer?requestid={key}", draft, BenchJson.Default.CustomerDraft, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync(BenchJson.Default.CustomerEnvelope, cancellationToken).ConfigureAwait(false);
        return created?.Customer ?? throw new InvalidOperationException("the sink returned no customer");
    }
}
