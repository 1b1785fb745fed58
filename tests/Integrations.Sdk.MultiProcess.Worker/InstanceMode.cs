using Integrations.Sdk.Connectors;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Refit;

namespace Integrations.Sdk.MultiProcess.Worker;

/// <summary>An event of the shared inbox: applying it makes one effect at the sink.</summary>
public sealed record EffectEvent(string EventId);

/// <summary>An order the scheduled sync copies to the sink's ledger.</summary>
public sealed record SinkOrder(long Id);

/// <summary>The sink's answer to a write.</summary>
public sealed record Applied(string Id, bool Replayed);

/// <summary>A page of the sink's orders.</summary>
public sealed record OrderPage(IReadOnlyList<SinkOrder> Items);

/// <summary>The test sink: effects and ledger entries deduplicated by Idempotency-Key, as Stripe does.</summary>
public interface ISinkApi
{
    [Post("/effects")]
    Task<Applied> ApplyAsync([Header("Idempotency-Key")] string idempotencyKey, [Body] EffectBody body, CancellationToken cancellationToken);

    [Get("/orders")]
    Task<OrderPage> OrdersAsync(long after, int limit, CancellationToken cancellationToken);

    [Post("/ledger")]
    Task<Applied> LedgerAsync([Header("Idempotency-Key")] string idempotencyKey, [Body] LedgerBody body, CancellationToken cancellationToken);
}

/// <summary>The body of an effect.</summary>
public sealed record EffectBody(string EventId, string Instance);

/// <summary>The body of a ledger entry.</summary>
public sealed record LedgerBody(long OrderId, string Instance);

/// <summary>Reads the sink's orders after the checkpoint (the last id, zero-padded so it sorts), 50 at a time.</summary>
internal sealed class SinkOrderSource(ISinkApi sink) : IRecordSource<SinkOrder>
{
    public static string Checkpoint(long id) => id.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public async IAsyncEnumerable<SourceRecord<SinkOrder>> ReadAsync(string? checkpoint, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = checkpoint is null ? 0 : long.Parse(checkpoint, System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            var page = await sink.OrdersAsync(after, 50, cancellationToken);
            if (page.Items.Count == 0)
            {
                yield break;
            }

            foreach (var order in page.Items)
            {
                yield return new SourceRecord<SinkOrder>(order, Checkpoint(order.Id));
                after = order.Id;
            }
        }
    }
}

/// <summary>
/// One of several host instances on one PostgreSQL state: drains the shared inbox (source <c>acme</c>) into the
/// <c>effects</c> sync and runs the scheduled <c>ledger</c> sync. Runs until killed.
/// </summary>
internal static class InstanceMode
{
    public static async Task<int> RunAsync(string connectionString, string schema, Uri sink, string name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        var integrations = builder.Services.AddIntegrations().UsePostgreSqlState(o =>
        {
            o.ConnectionString = connectionString;
            o.Schema = schema;
            o.LockCheckInterval = TimeSpan.FromSeconds(1);
        });
        integrations.ConfigureWebhooks(o =>
        {
            // Short leases so the messages a killed instance had claimed come back quickly.
            o.Lease = TimeSpan.FromSeconds(5);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Concurrency = 8;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(2);
        });
        integrations.AddConnectorClient<ISinkApi>("sink", (_, o) =>
        {
            o.BaseAddress = sink;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.RateLimit = new RateLimitOptions { PermitsPerWindow = 100_000, Window = TimeSpan.FromSeconds(1) };
        });
        integrations.AddSync<EffectEvent>("effects", sync => sync
            .FromEvents()
            .Key(e => "event:" + e.EventId)
            .WithConcurrency(8)
            .Step("apply", WriteSafety.IdempotencyKey, (e, step, ct) => step.Get<ISinkApi>().ApplyAsync(step.IdempotencyKey, new EffectBody(e.EventId, name), ct)));
        // The events are put in the shared inbox by the test, not received over HTTP; the route still needs its source.
        builder.Services.AddSingleton<IWebhookSource, AcmeInboxSource>();
        integrations.AddWebhookRoute<EffectEvent>("acme", "effects");
        integrations.AddSync<SinkOrder>("ledger", sync => sync
            .FromIncremental(sp => new SinkOrderSource(sp.GetRequiredService<ISinkApi>()))
            .Key(o => "order:" + o.Id)
            .WithConcurrency(8)
            .Every(TimeSpan.FromMilliseconds(200))
            .Step("post", WriteSafety.IdempotencyKey, (o, step, ct) => step.Get<ISinkApi>().LedgerAsync(step.IdempotencyKey, new LedgerBody(o.Id, name), ct)));

        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine("ready");
        await host.WaitForShutdownAsync();
        return 0;
    }
}

/// <summary>The webhook source of the events the test puts in the shared inbox itself; it receives no request.</summary>
internal sealed class AcmeInboxSource : IWebhookSource
{
    public string Name => "acme";

    public WebhookVerification Verify(WebhookRequest request) => WebhookVerification.Invalid("acme events are put in the inbox directly");

    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request) => [];
}
