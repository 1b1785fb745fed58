using System.Globalization;
using System.Text.Json;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.LoadBench;

/// <summary>
/// A webhook host on 127.0.0.1: Shopify's source (HMAC-SHA256 of the raw body), <c>MapIntegrationWebhooks</c>, the
/// SQLite inbox; with <paramref name="sink"/>, also a route of <c>orders/create</c> to a sync that writes to it.
/// </summary>
public sealed class WebhookHost : IAsyncDisposable
{
    public const string Secret = "bench-webhook-secret";
    public const string SyncName = "webhook-orders-to-invoices";

    private readonly WebApplication _app;

    private WebhookHost(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public IWebhookInbox Inbox => _app.Services.GetRequiredService<IWebhookInbox>();

    public static async Task<WebhookHost> StartAsync(string statePath, Sink? sink, int processors)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var integrations = builder.Services.AddIntegrations()
            .UseSqliteState(statePath)
            .AddShopify(o =>
            {
                o.ShopDomain = "bench.myshopify.com";
                o.AccessToken = "shpat_bench_not_used";
                o.WebhookSecret = Secret;
            });
        if (sink is not null)
        {
            integrations
                .AddBooks(sink.BaseAddress)
                .AddSync<BenchOrder>(SyncName, s => OrderSync.Steps(s.FromEvents(), concurrency: 1))
                .AddWebhookRoute("shopify", SyncName, e => JsonSerializer.Deserialize(e.Payload, BenchJson.Default.BenchOrder), "orders/create")
                .ConfigureWebhooks(o =>
                {
                    o.Concurrency = processors;
                    o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
                });
        }

        var app = builder.Build();
        app.MapIntegrationWebhooks("/webhooks");
        await app.StartAsync().ConfigureAwait(false);
        return new WebhookHost(app, new Uri(app.Urls.First().TrimEnd('/') + "/webhooks/shopify"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Signed Shopify-style deliveries, prepared before the clock starts so the senders only send.</summary>
public sealed class Deliveries
{
    private readonly (byte[] Body, string Signature, string EventId)[] _items;

    public Deliveries(int count, long firstOrderId)
    {
        _items = new (byte[], string, string)[count];
        for (var i = 0; i < count; i++)
        {
            var order = OrderGenerator.Create(firstOrderId + i, 1000);
            var body = JsonSerializer.SerializeToUtf8Bytes(order, BenchJson.Default.BenchOrder);
            var signature = Convert.ToBase64String(WebhookSignature.HmacSha256(WebhookHost.Secret, body));
            _items[i] = (body, signature, string.Create(CultureInfo.InvariantCulture, $"evt-{firstOrderId + i}"));
        }
    }

    public int Count => _items.Length;

    /// <summary>Posts every delivery once, <paramref name="senders"/> at a time; returns how many got 200.</summary>
    public async Task<int> SendAsync(IHttpClientFactory factory, Uri endpoint, int senders, CancellationToken cancellationToken)
    {
        var ok = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = senders, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, _items.Length, options, async (i, ct) =>
        {
            var (body, signature, eventId) = _items[i];
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Event-Id", eventId);
            request.Headers.Add("X-Shopify-Shop-Domain", "bench.myshopify.com");
            using var response = await factory.CreateClient("senders").SendAsync(request, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref ok);
            }
        }).ConfigureAwait(false);
        return ok;
    }
}
