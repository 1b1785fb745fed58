using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.WooCommerce;
using Integrations.Sdk.WooCommerce.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.WooCommerce.Tests;

/// <summary>WooCommerce's deliveries, from the simulator, through <c>MapIntegrationWebhooks</c> and the inbox.</summary>
public sealed class WooCommerceWebhookEndpointTests
{
    private const string HookSecret = "endpoint-hook-secret";

    [Fact]
    public async Task Ping_IsAnswered200AndNotStored_DeliveriesAreDedupedOnDeliveryId_AndForgeriesRefused()
    {
        await using var store = new WooCommerceSimulator();
        var hook = store.AddWebhook("order.updated", HookSecret);
        var order = store.AddOrder(new JsonObject { ["total"] = "12.00" });
        var received = new ConcurrentQueue<long>();
        await using var app = await StartAsync(received);
        var client = app.GetTestClient();
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();

        var ping = await store.Ping(hook).PostAsync(client, new Uri("/webhooks/woocommerce", UriKind.Relative));
        (await inbox.CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 0));

        var delivery = store.Deliver(hook, store.Order(order)!);
        var first = await delivery.PostAsync(client, new Uri("/webhooks/woocommerce", UriKind.Relative));
        var again = await delivery.PostAsync(client, new Uri("/webhooks/woocommerce", UriKind.Relative));
        var forged = await delivery.WithHeader("X-WC-Webhook-Signature", Convert.ToBase64String(new byte[32]))
            .WithHeader("X-WC-Webhook-Delivery-ID", "forged-1").PostAsync(client, new Uri("/webhooks/woocommerce", UriKind.Relative));
        await IntegrationsTestHost.UntilInboxDrainedAsync(inbox, TimeSpan.FromSeconds(20));

        ping.StatusCode.Should().Be(HttpStatusCode.OK);
        first.IsSuccessStatusCode.Should().BeTrue();
        again.IsSuccessStatusCode.Should().BeTrue();
        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await inbox.CountAsync()).Completed.Should().Be(1);
        received.Should().Equal(order);
    }

    private static async Task<WebApplication> StartAsync(ConcurrentQueue<long> received)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations()
            .AddWooCommerce(o =>
            {
                o.StoreUrl = new Uri("https://shop.example.test/");
                o.ConsumerKey = "ck_test";
                o.ConsumerSecret = "cs_test";
                o.WebhookSecret = HookSecret;
            })
            .AddSync<WooOrder>("woo-order-events", s => s.FromEvents().Key(o => $"woo:order:{o.Id}")
                .Step("record", WriteSafety.NaturalUpsert, (o, _, _) =>
                {
                    received.Enqueue(o.Id);
                    return Task.FromResult(o.Id);
                }))
            .AddWebhookRoute<WooOrder>("woocommerce", "woo-order-events", eventTypes: ["order.updated"]);
        var app = builder.Build();
        app.MapIntegrationWebhooks();
        await app.StartAsync();
        return app;
    }
}
