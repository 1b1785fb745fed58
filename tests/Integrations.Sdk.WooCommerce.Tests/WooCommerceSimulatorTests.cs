using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.WooCommerce.Models;
using Integrations.Sdk.Testing.WooCommerce;
using Integrations.Sdk.Transport;
using Integrations.Sdk.WooCommerce.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.WooCommerce.Tests;

/// <summary>The connector against <see cref="WooCommerceSimulator"/>: paging, the incremental read, lookups, auth and webhooks.</summary>
public sealed class WooCommerceSimulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private readonly WooCommerceSimulator _store;
    private ServiceProvider? _services;

    public WooCommerceSimulatorTests() => _store = new WooCommerceSimulator(_time);

    public async Task InitializeAsync()
    {
        await _store.StartAsync();
        _services = Build(_store.ConsumerSecret);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    private WooCommerceConnector Connector => _services!.GetRequiredService<WooCommerceConnector>();

    [Fact]
    public async Task Orders_ReadAcrossPages_ThenResumed_GiveOnlyTheChangedOrder()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(_store.AddOrder(new JsonObject { ["total"] = "10.00" }));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await Connector.Orders.ReadAsync(null).ToListAsync();
        first.Select(r => r.Value.Id).Should().Equal(ids);
        var checkpoint = first[^1].Checkpoint;
        checkpoint.Should().Be($"2026-12-05T10:04:00Z|{ids[4]}");

        _time.Advance(TimeSpan.FromMinutes(10));
        _store.UpdateOrder(ids[1], o => o["status"] = "completed");
        var second = await Connector.Orders.ReadAsync(checkpoint).ToListAsync();

        second.Select(r => r.Value.Id).Should().Equal(ids[1]);
        second[0].Value.Status.Should().Be("completed");
        second[0].Checkpoint.Should().Be($"2026-12-05T10:15:00Z|{ids[1]}");
        (await Connector.Orders.ReadAsync(second[0].Checkpoint).ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Sync_OrdersUnderReadFaults_RecordsEachOnce_ThenTheNextRunOnlyTheChangedOrder()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(_store.AddOrder(new JsonObject { ["total"] = "10.00" }));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var recorded = new ConcurrentQueue<long>();
        _store.Faults.SetRandom(0.3, seed: 5, FaultKind.ServerError);
        await using var sp = IntegrationsTestHost.Build(
            TimeProvider.System,
            i => i.AddWooCommerce(o =>
            {
                o.StoreUrl = _store.BaseAddress;
                o.ConsumerKey = _store.ConsumerKey;
                o.ConsumerSecret = _store.ConsumerSecret;
                o.PageSize = 3;
                o.ModifiedOverlap = TimeSpan.FromSeconds(1);
            }),
            s => s.RetryWithoutDelay(WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 8),
            i => i.AddSync<WooOrder>("woo-orders", s => s
                .FromIncremental<WooCommerceConnector>(c => c.Orders)
                .Key(o => $"woo:order:{o.Id}:{WooCommerceConnector.OrderCheckpoint(o)}")
                .Step("record", WriteSafety.NaturalUpsert, (o, _, _) =>
                {
                    recorded.Enqueue(o.Id);
                    return Task.FromResult(o.Id);
                })));
        var runner = sp.GetRequiredService<ISyncRunner>();

        var first = await runner.RunAsync("woo-orders");
        _store.Faults.Clear();
        _time.Advance(TimeSpan.FromMinutes(10));
        _store.UpdateOrder(ids[2], o => o["status"] = "completed");
        var second = await runner.RunAsync("woo-orders");

        first.Summary.Status.Should().Be(RunStatus.Succeeded, first.ToString());
        first.Summary.Completed.Should().Be(7);
        _store.Faults.InjectedTotal.Should().BeGreaterThan(0);
        second.Summary.Completed.Should().Be(1, second.ToString());
        second.Summary.Skipped.Should().Be(0, "the first run's checkpoint starts the read after its orders");
        recorded.Should().BeEquivalentTo(ids.Append(ids[2]));
    }

    [Fact]
    public async Task Lookups_FindProductVariationCustomerAndRefunds()
    {
        var product = _store.AddProduct("WOO-1", "Woo Single", 27.50m, stockQuantity: 12);
        var shirt = _store.AddProduct("TS", "T-shirt", 20m);
        var black = _store.AddVariation(shirt, "TS-BLK-M", 20m, stockQuantity: 4);
        var customer = _store.AddCustomer("jane@example.com", "Jane", "Doe");
        var order = _store.AddOrder(new JsonObject { ["total"] = "55.00" });
        _store.AddRefund(order, 27.50m, "damaged");

        (await Connector.FindProductBySkuAsync("WOO-1"))!.Should().BeEquivalentTo(new { Id = product, StockQuantity = 12, Price = 27.50m });
        (await Connector.FindProductBySkuAsync("NOPE")).Should().BeNull();
        (await Connector.FindVariationBySkuAsync(shirt, "TS-BLK-M"))!.Id.Should().Be(black);
        (await Connector.FindCustomerByEmailAsync("JANE@example.com"))!.Id.Should().Be(customer);
        (await Connector.GetRefundsAsync(order)).Should().ContainSingle().Which.Amount.Should().Be(27.50m);
        (await Connector.GetOrderAsync(order))!.Refunds.Single().Total.Should().Be(-27.50m);
        (await Connector.GetOrderAsync(999_999)).Should().BeNull();
    }

    [Fact]
    public async Task WrongSecret_IsRefused401WithWooCommercesCode()
    {
        await using var services = Build("cs_wrong");

        var read = () => services.GetRequiredService<WooCommerceConnector>().GetOrderAsync(1);

        var thrown = (await read.Should().ThrowAsync<PlatformException>()).Which;
        (thrown.StatusCode, thrown.ErrorCode).Should().Be((System.Net.HttpStatusCode.Unauthorized, "woocommerce_rest_cannot_view"));
    }

    [Fact]
    public void Webhooks_FromTheSimulator_AreVerified_AndItsPingAnswered()
    {
        var source = _services!.GetRequiredService<WooCommerceWebhookSource>();
        var hook = _store.AddWebhook("order.updated", "hook-secret");
        var order = _store.AddOrder(new JsonObject { ["total"] = "1.00" });

        var delivery = ToRequest(_store.Deliver(hook, _store.Order(order)!));
        var ping = ToRequest(_store.Ping(hook));

        source.Verify(delivery).IsValid.Should().BeTrue();
        source.Parse(delivery).Single().EventType.Should().Be("order.updated");
        source.Handshake(ping, source.Verify(ping))!.StatusCode.Should().Be(200);
    }

    private static WebhookRequest ToRequest(Integrations.Sdk.Testing.SignedWebhook webhook) =>
        new("POST", new Uri("https://hooks.example.test/webhooks/woocommerce"), webhook.Headers, webhook.Body);

    private ServiceProvider Build(string secret)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddWooCommerce(o =>
        {
            o.StoreUrl = _store.BaseAddress;
            o.ConsumerKey = _store.ConsumerKey;
            o.ConsumerSecret = secret;
            o.WebhookSecret = "hook-secret";
            o.PageSize = 2;
            o.ModifiedOverlap = TimeSpan.FromSeconds(1);
        });
        services.PostConfigure<ConnectorHttpOptions>(WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 0);
        return services.BuildServiceProvider();
    }
}
