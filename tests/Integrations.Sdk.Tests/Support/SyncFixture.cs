using Integrations.Sdk.Connectors;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Tests.Support;

/// <summary>The orders → invoices sync of the tests, on the fake ledger, with a fake clock and captured logs.</summary>
public sealed class SyncFixture : IAsyncDisposable
{
    public const string Sync = "orders";

    public static readonly Mapper<Order, InvoiceDraft> OrderToInvoice = Mapper.Create<Order, InvoiceDraft>(m => m
        .Field(t => t.Email, s => s.Email, "lowercase", e => e!.ToLowerInvariant()).Required()
        .Field(t => t.Total, s => s.Total)
        .Field(t => t.Reference, s => s.Id, "order number", id => $"order-{id}"));

    public SyncFixture(IEnumerable<Order> orders, Action<SyncBuilder<Order>, FakeLedger>? configure = null, Action<IIntegrationsBuilder>? integrations = null)
    {
        Source = new OrderSource(orders);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddFakeLogging();
        services.AddSingleton(Ledger);
        services.AddSingleton(Source);
        var builder = services.AddIntegrations();
        integrations?.Invoke(builder);
        builder.AddSync<Order>(Sync, s =>
        {
            s.FromIncremental(sp => sp.GetRequiredService<OrderSource>())
                .Key(o => $"shop:order:{o.Id}")
                .Where(o => o.Paid)
                .WithConcurrency(4)
                .WithStepRetries(3, TimeSpan.Zero);
            if (configure is not null)
            {
                configure(s, Ledger);
            }
            else
            {
                DefaultSteps(s);
            }
        });
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FakeTimeProvider Time { get; } = TestHost.Clock();

    public FakeLedger Ledger { get; } = new();

    public OrderSource Source { get; }

    public ServiceProvider Services { get; }

    public ISyncRunner Runner => Services.GetRequiredService<ISyncRunner>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static StepBuilder<Order, InvoiceDraft> DefaultSteps(SyncBuilder<Order> s) => s
        .Map(OrderToInvoice)
        .Step("customer", WriteSafety.NaturalUpsert, (d, c, ct) => c.Get<FakeLedger>().UpsertCustomerAsync(d.Email, ct))
        .Step("invoice", WriteSafety.IdempotencyKey, (d, c, ct) => c.Get<FakeLedger>().CreateInvoiceAsync(c.IdempotencyKey, c.ResultOf<string>("customer"), d.Total, ct))
        .When("large order", d => d.Total >= 1000, then => then
            .Step("notify", WriteSafety.Unsafe, (d, c, ct) => c.Get<FakeLedger>().SendEmailAsync(d.Email, ct)));

    public static List<Order> Orders(int count, Func<int, Order>? make = null) =>
        [.. Enumerable.Range(1, count).Select(i => make?.Invoke(i) ?? new Order(i, $"buyer{i}@example.com", 10m * i, Paid: true, UpdatedAt: i))];

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
