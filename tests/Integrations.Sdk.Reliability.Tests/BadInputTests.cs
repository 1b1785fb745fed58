using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FailedPaymentFollowUp;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.Reliability.Tests.Support;
using Integrations.Sdk.Shopify;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Testing.Shopify;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Integrations.Sdk.Reliability.Tests;

/// <summary>A HubSpot change as a test sync reads it (the route's default JSON reading); the ids are required.</summary>
public sealed class HubSpotChange
{
    [JsonPropertyName("eventId")]
    public required long EventId { get; init; }

    [JsonPropertyName("objectId")]
    public required long ObjectId { get; init; }

    [JsonPropertyName("subscriptionType")]
    public required string SubscriptionType { get; init; }
}

/// <summary>
/// Bad input at the webhook endpoint (ASP.NET Core TestServer) and in the pipelines, for the Stripe, Shopify,
/// HubSpot and QuickBooks sources: each bad request gets a clear answer (401 or 413, with the reason naming the
/// header in the log) or is kept as a dead-lettered inbox message whose reason names the cause; the host keeps
/// running and a valid event sent after it is processed.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const int MaxBodyBytes = 256 * 1024;
    private static readonly Uri HubSpotTarget = new("http://localhost/webhooks/hubspot");
    private readonly ConcurrentQueue<string> _seen = new();
    private FollowUpPlatforms _followUp = null!;
    private readonly ShopifySimulator _shop = new(seed: 3);
    private readonly QuickBooksSimulator _qbo = new(seed: 3);
    private WebApplication _app = null!;
    private int _counter;

    public async Task InitializeAsync()
    {
        _followUp = await FollowUpPlatforms.StartAsync(TimeProvider.System, seed: 3);
        await _shop.StartAsync();
        await _qbo.StartAsync();
        _shop.AddProduct("MUG-1", "Mug", 9.9m, available: 100);

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddFakeLogging();
        var stripe = _followUp.Stripe;
        var hubSpot = _followUp.HubSpot;
        builder.Services.AddIntegrations()
            .AddStripe(o => { o.ApiKey = stripe.ApiKey; o.WebhookSecret = stripe.WebhookSecret; o.BaseAddress = stripe.BaseAddress; })
            .AddHubSpot(o => { o.AccessToken = hubSpot.AccessToken; o.ClientSecret = hubSpot.ClientSecret; o.BaseAddress = hubSpot.BaseAddress; })
            .AddMailchimpTransactional(o => { o.ApiKey = _followUp.Mailchimp.ApiKey; o.BaseAddress = _followUp.Mailchimp.ApiBaseAddress; o.FromEmail = "billing@example.com"; })
            .AddFailedPaymentFollowUp()
            .AddShopify(o =>
            {
                o.ShopDomain = _shop.Options.ShopDomain;
                o.AccessToken = _shop.Options.AccessToken;
                o.WebhookSecret = _shop.Options.WebhookSecret;
                o.BaseAddress = _shop.BaseAddress;
            })
            .AddQuickBooks(o =>
            {
                o.RealmId = _qbo.RealmId;
                o.ClientId = _qbo.ClientId;
                o.ClientSecret = _qbo.ClientSecret;
                o.BaseAddress = _qbo.BaseAddress;
                o.TokenEndpoint = _qbo.TokenEndpoint;
                o.InitialRefreshToken = _qbo.IssueRefreshToken();
                o.WebhookVerifierToken = _qbo.WebhookVerifierToken;
            })
            .AddSync<ShopifyOrder>("shopify-paid-orders", s => s.FromEvents().Key(o => o.Id).Where(o => o.DisplayFinancialStatus == "PAID")
                .Step("seen", WriteSafety.Unsafe, (o, _, _) => Seen(o.Id)))
            .AddWebhookRoute<ShopifyOrder>("shopify", "shopify-paid-orders", e => ShopifyWebhookSource.ReadOrder(e.Payload), "orders/paid")
            .AddSync<QuickBooksChange>("quickbooks-changes", s => s.FromEvents().Key(c => $"qbo:{c.Entity}:{c.EntityId}:{c.Operation}:{c.OccurredAt:O}")
                .Step("seen", WriteSafety.Unsafe, (c, _, _) => Seen($"{c.Entity}:{c.EntityId}:{c.Operation}")))
            .AddWebhookRoute<QuickBooksChange>("quickbooks", "quickbooks-changes", QuickBooksWebhookSource.ReadChange)
            .AddSync<HubSpotChange>("hubspot-changes", s => s.FromEvents().Key(c => $"hubspot:{c.EventId}")
                .Step("seen", WriteSafety.Unsafe, (c, _, _) => Seen($"hubspot:{c.ObjectId}")))
            .AddWebhookRoute<HubSpotChange>("hubspot", "hubspot-changes")
            .ConfigureWebhooks(o => o.MaxBodyBytes = MaxBodyBytes);
        _app = builder.Build();
        _app.MapIntegrationWebhooks("/webhooks");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _followUp.DisposeAsync();
        await _shop.DisposeAsync();
        await _qbo.DisposeAsync();
    }

    private Task<string> Seen(string what)
    {
        _seen.Enqueue(what);
        return Task.FromResult(what);
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "stripe", "malformed JSON" }, { "stripe", "invalid UTF-8" }, { "stripe", "wrong type" }, { "stripe", "missing required field" },
        { "stripe", "missing nested field" }, { "stripe", "unexpected enum value" }, { "stripe", "huge payload" }, { "stripe", "forged signature" },
        { "stripe", "missing signature" }, { "stripe", "stale signature" }, { "stripe", "replayed delivery" },
        { "shopify", "malformed JSON" }, { "shopify", "invalid UTF-8" }, { "shopify", "wrong type" }, { "shopify", "missing required field" },
        { "shopify", "missing topic header" }, { "shopify", "unexpected enum value" }, { "shopify", "huge payload" }, { "shopify", "forged signature" },
        { "shopify", "missing signature" }, { "shopify", "replayed delivery" },
        { "hubspot", "malformed JSON" }, { "hubspot", "invalid UTF-8" }, { "hubspot", "wrong type" }, { "hubspot", "missing required field" },
        { "hubspot", "not an array" }, { "hubspot", "unexpected enum value" }, { "hubspot", "huge payload" }, { "hubspot", "forged signature" },
        { "hubspot", "missing signature" }, { "hubspot", "stale signature" }, { "hubspot", "replayed delivery" },
        { "quickbooks", "malformed JSON" }, { "quickbooks", "invalid UTF-8" }, { "quickbooks", "wrong type" }, { "quickbooks", "missing required field" },
        { "quickbooks", "unexpected enum value" }, { "quickbooks", "huge payload" }, { "quickbooks", "forged signature" },
        { "quickbooks", "missing signature" }, { "quickbooks", "replayed delivery" },
    };

    /// <summary>What the SDK must do with a bad request.</summary>
    private enum Expect
    {
        Unauthorized,
        TooLarge,
        DeadLetteredInInbox,
        ProcessedOrFilteredWithoutEffect,
        OneEffect,
    }

    private sealed record Case(byte[] Body, Dictionary<string, string> Headers, Expect Expect, string Cause, string? ExpectedEffect = null);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_GetsAClearAnswerOrANamedDeadLetter_AndTheHostGoesOn(string source, string kind)
    {
        var inbox = _app.Services.GetRequiredService<IWebhookInbox>();
        var logs = _app.Services.GetFakeLogCollector();
        var bad = Build(source, kind);
        var before = await inbox.CountAsync();

        using var response = await PostAsync(source, bad.Body, bad.Headers);
        var answer = await response.Content.ReadAsStringAsync();
        if (bad.Expect == Expect.OneEffect)
        {
            using var again = await PostAsync(source, bad.Body, bad.Headers);
            again.StatusCode.Should().Be(HttpStatusCode.OK, "a redelivery is acknowledged");
        }

        await Polling.UntilAsync(async () => await inbox.CountAsync() is { Pending: 0, Processing: 0 }, "the inbox is drained", TimeSpan.FromSeconds(20));
        var after = await inbox.CountAsync();

        switch (bad.Expect)
        {
            case Expect.Unauthorized:
                response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
                answer.Should().NotBeNullOrWhiteSpace();
                after.Should().Be(before, "a forged, stale or unsigned request stores nothing");
                logs.GetSnapshot().Where(r => r.Id.Id == 3001).Select(r => r.Message).Should().Contain(m => m.Contains(bad.Cause, StringComparison.OrdinalIgnoreCase),
                    "the rejection is logged naming the header at fault");
                break;
            case Expect.TooLarge:
                response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
                after.Should().Be(before);
                break;
            case Expect.DeadLetteredInInbox:
                response.StatusCode.Should().Be(HttpStatusCode.OK, "a signed body is kept for review, so the platform stops retrying it");
                after.DeadLettered.Should().Be(before.DeadLettered + 1);
                var reason = await DeadLetterReasonAsync(inbox, source, bad);
                reason.Should().Contain(bad.Cause, "the dead letter names the cause");
                break;
            case Expect.ProcessedOrFilteredWithoutEffect:
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                after.Completed.Should().Be(before.Completed + 1);
                after.DeadLettered.Should().Be(before.DeadLettered);
                break;
            case Expect.OneEffect:
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                after.Completed.Should().Be(before.Completed + 1, "the redelivery is recognised by its event id");
                await Polling.UntilAsync(() => Task.FromResult(_seen.Contains(bad.ExpectedEffect!) || _followUp.Mailchimp.Sent.Any(e => e.To == bad.ExpectedEffect)), "the event's effect exists", TimeSpan.FromSeconds(20));
                (_seen.Count(s => s == bad.ExpectedEffect) + _followUp.Mailchimp.Sent.Count(e => e.To == bad.ExpectedEffect)).Should().Be(1, "one effect for two deliveries");
                break;
        }

        // The host keeps running and nothing valid is lost: a valid event sent afterwards is processed.
        await ValidEventIsProcessedAsync(source);
    }

    [Fact]
    public async Task ManyBadRequestsInARow_ThenValidOnes_EveryValidEventIsProcessed()
    {
        foreach (var source in new[] { "stripe", "shopify", "hubspot", "quickbooks" })
        {
            foreach (var kind in new[] { "malformed JSON", "invalid UTF-8", "wrong type", "forged signature", "huge payload" })
            {
                var bad = Build(source, kind);
                using var response = await PostAsync(source, bad.Body, bad.Headers);
                ((int)response.StatusCode).Should().BeOneOf(200, 401, 413);
            }
        }

        foreach (var source in new[] { "stripe", "shopify", "hubspot", "quickbooks" })
        {
            await ValidEventIsProcessedAsync(source);
        }
    }

    private Case Build(string source, string kind)
    {
        var n = Interlocked.Increment(ref _counter);
        var huge = Encoding.UTF8.GetBytes("{\"id\":\"evt_huge\",\"padding\":\"" + new string('x', MaxBodyBytes + 1) + "\"}");
        static byte[] InvalidUtf8(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(after)];
        switch (source)
        {
            case "stripe":
            {
                var stripe = _followUp.Stripe;
                var failure = _followUp.FailPayments(1, prefix: $"bad{n}-")[0];
                var genuine = stripe.Event(failure.EventId)!;
                JsonObject Edit(Action<JsonObject> edit)
                {
                    var copy = (JsonObject)genuine.DeepClone();
                    copy["id"] = $"evt_edited_{n}";
                    edit(copy);
                    return copy;
                }

                Case Signed(byte[] body, Expect expect, string cause, string? secret = null, DateTimeOffset? at = null) =>
                    new(body, WebhookSigner.Stripe(body, secret ?? stripe.WebhookSecret, at ?? stripe.Time.GetUtcNow()), expect, cause);
                Case SignedJson(JsonObject json, Expect expect, string cause) => Signed(Encoding.UTF8.GetBytes(json.ToJsonString()), expect, cause);
                return kind switch
                {
                    "malformed JSON" => Signed(Encoding.UTF8.GetBytes("{\"id\":\"evt_broken\",\"type\":"), Expect.DeadLetteredInInbox, "not JSON"),
                    "invalid UTF-8" => Signed(InvalidUtf8("{\"id\":\"evt_", "\",\"type\":\"invoice.payment_failed\",\"created\":1,\"data\":{\"object\":{}}}"), Expect.DeadLetteredInInbox, "UTF-8"),
                    "wrong type" => SignedJson(Edit(e => e["data"]!["object"]!["amount_due"] = "a lot"), Expect.DeadLetteredInInbox, "amount_due"),
                    "missing required field" => SignedJson(Edit(e => e.Remove("created")), Expect.DeadLetteredInInbox, "created"),
                    "missing nested field" => SignedJson(Edit(e => ((JsonObject)e["data"]!["object"]!).Remove("id")), Expect.DeadLetteredInInbox, "data.object.id"),
                    "unexpected enum value" => SignedJson(Edit(e => e["type"] = "invoice.payment_teleported"), Expect.ProcessedOrFilteredWithoutEffect, ""),
                    "huge payload" => Signed(huge, Expect.TooLarge, ""),
                    "forged signature" => Signed(Encoding.UTF8.GetBytes(genuine.ToJsonString()), Expect.Unauthorized, "Stripe-Signature", secret: "whsec_forged"),
                    "missing signature" => new(Encoding.UTF8.GetBytes(genuine.ToJsonString()), [], Expect.Unauthorized, "Stripe-Signature header is missing"),
                    "stale signature" => Signed(Encoding.UTF8.GetBytes(genuine.ToJsonString()), Expect.Unauthorized, "tolerance", at: stripe.Time.GetUtcNow().AddMinutes(-10)),
                    "replayed delivery" => new(stripe.CreateWebhook(failure.EventId).Body, new(stripe.CreateWebhook(failure.EventId).Headers), Expect.OneEffect, "", failure.Email),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
                };
            }

            case "shopify":
            {
                var order = _shop.AddOrder($"buyer{n}@example.com", [new SimulatedOrderLine("MUG-1", 1)]);
                var genuine = _shop.CreateOrderWebhook("orders/paid", order);
                var json = JsonNode.Parse(genuine.Body)!.AsObject();
                var secret = _shop.Options.WebhookSecret;
                Case Signed(byte[] body, Expect expect, string cause, string? key = null, string topic = "orders/paid") =>
                    new(body, WebhookSigner.Shopify(body, key ?? secret, $"bad-{n}", topic), expect, cause);
                Case SignedJson(Action<JsonObject> edit, Expect expect, string cause)
                {
                    var copy = (JsonObject)json.DeepClone();
                    edit(copy);
                    return Signed(Encoding.UTF8.GetBytes(copy.ToJsonString()), expect, cause);
                }

                return kind switch
                {
                    "malformed JSON" => Signed(Encoding.UTF8.GetBytes("{\"id\": 12, \"line_items\": ["), Expect.DeadLetteredInInbox, "not valid JSON"),
                    "invalid UTF-8" => Signed(InvalidUtf8("{\"id\":12,\"email\":\"", "\"}"), Expect.DeadLetteredInInbox, "not valid JSON"),
                    "wrong type" => SignedJson(o => o["line_items"]![0]!["quantity"] = "two", Expect.DeadLetteredInInbox, "quantity"),
                    "missing required field" => SignedJson(o => { o.Remove("id"); o.Remove("admin_graphql_api_id"); }, Expect.DeadLetteredInInbox, "'id'"),
                    "missing topic header" => new(genuine.Body, new(genuine.Headers.Where(h => !h.Key.Equals("X-Shopify-Topic", StringComparison.OrdinalIgnoreCase))), Expect.DeadLetteredInInbox, "X-Shopify-Topic"),
                    "unexpected enum value" => SignedJson(o => o["financial_status"] = "teleported", Expect.ProcessedOrFilteredWithoutEffect, ""),
                    "huge payload" => Signed(huge, Expect.TooLarge, ""),
                    "forged signature" => Signed(genuine.Body, Expect.Unauthorized, "X-Shopify-Hmac-Sha256", key: "not-the-secret"),
                    "missing signature" => new(genuine.Body, new(genuine.Headers.Where(h => !h.Key.Equals("X-Shopify-Hmac-Sha256", StringComparison.OrdinalIgnoreCase))), Expect.Unauthorized, "X-Shopify-Hmac-Sha256"),
                    "replayed delivery" => new(genuine.Body, new(genuine.Headers), Expect.OneEffect, "", order.Id),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
                };
            }

            case "hubspot":
            {
                var objectId = 5_000 + n;
                var genuine = _followUp.HubSpot.CreateWebhook(HubSpotTarget, new SimulatedWebhookEvent("contact.propertyChange", objectId, "payment_status", "failed", EventId: 90_000 + n));
                var json = JsonNode.Parse(genuine.Body)!.AsArray();
                var secret = _followUp.HubSpot.ClientSecret;
                Case Signed(byte[] body, Expect expect, string cause, string? key = null, DateTimeOffset? at = null) =>
                    new(body, WebhookSigner.HubSpot(body, key ?? secret, HubSpotTarget, at ?? TimeProvider.System.GetUtcNow()), expect, cause);
                Case SignedJson(Action<JsonObject> edit, Expect expect, string cause)
                {
                    var copy = (JsonArray)json.DeepClone();
                    edit((JsonObject)copy[0]!);
                    return Signed(Encoding.UTF8.GetBytes(copy.ToJsonString()), expect, cause);
                }

                return kind switch
                {
                    "malformed JSON" => Signed(Encoding.UTF8.GetBytes("[{\"eventId\": 1,"), Expect.DeadLetteredInInbox, "not JSON"),
                    "invalid UTF-8" => Signed(InvalidUtf8("[{\"eventId\":\"", "\",\"subscriptionType\":\"contact.creation\",\"objectId\":1}]"), Expect.DeadLetteredInInbox, "UTF-8"),
                    "wrong type" => SignedJson(e => e["objectId"] = "not-a-number", Expect.DeadLetteredInInbox, "objectId"),
                    "missing required field" => SignedJson(e => e.Remove("eventId"), Expect.DeadLetteredInInbox, "eventId"),
                    "not an array" => Signed(Encoding.UTF8.GetBytes(json[0]!.ToJsonString()), Expect.DeadLetteredInInbox, "array"),
                    "unexpected enum value" => SignedJson(e => e["subscriptionType"] = "contact.teleported", Expect.ProcessedOrFilteredWithoutEffect, ""),
                    "huge payload" => Signed(huge, Expect.TooLarge, ""),
                    "forged signature" => Signed(genuine.Body, Expect.Unauthorized, "X-HubSpot-Signature-v3", key: "not-the-secret"),
                    "missing signature" => new(genuine.Body, new(genuine.Headers.Where(h => !h.Key.Equals("X-HubSpot-Signature-v3", StringComparison.OrdinalIgnoreCase))), Expect.Unauthorized, "X-HubSpot-Signature-v3"),
                    "stale signature" => Signed(genuine.Body, Expect.Unauthorized, "tolerance", at: TimeProvider.System.GetUtcNow().AddMinutes(-10)),
                    "replayed delivery" => new(genuine.Body, new(genuine.Headers), Expect.OneEffect, "", $"hubspot:{objectId}"),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
                };
            }

            case "quickbooks":
            {
                var entityId = (7_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var genuine = _qbo.CreateWebhook("Invoice", entityId, "Create");
                var json = JsonNode.Parse(genuine.Body)!.AsObject();
                Case Signed(byte[] body, Expect expect, string cause, string? key = null) =>
                    new(body, WebhookSigner.QuickBooks(body, key ?? _qbo.WebhookVerifierToken), expect, cause);
                Case SignedJson(Action<JsonObject> edit, Expect expect, string cause)
                {
                    var copy = (JsonObject)json.DeepClone();
                    edit(copy);
                    return Signed(Encoding.UTF8.GetBytes(copy.ToJsonString()), expect, cause);
                }

                return kind switch
                {
                    "malformed JSON" => Signed(Encoding.UTF8.GetBytes("{\"eventNotifications\": [{"), Expect.DeadLetteredInInbox, "not JSON"),
                    "invalid UTF-8" => Signed(InvalidUtf8("{\"eventNotifications\":[{\"realmId\":\"", "\",\"dataChangeEvent\":{\"entities\":[]}}]}"), Expect.DeadLetteredInInbox, "UTF-8"),
                    "wrong type" => SignedJson(o => o["eventNotifications"] = "all of them", Expect.DeadLetteredInInbox, "eventNotifications"),
                    "missing required field" => SignedJson(o => ((JsonObject)o["eventNotifications"]![0]!["dataChangeEvent"]!).Remove("entities"), Expect.DeadLetteredInInbox, "entities"),
                    "unexpected enum value" => SignedJson(o => o["eventNotifications"]![0]!["dataChangeEvent"]!["entities"]![0]!["operation"] = "Teleport", Expect.ProcessedOrFilteredWithoutEffect, ""),
                    "huge payload" => Signed(huge, Expect.TooLarge, ""),
                    "forged signature" => Signed(genuine.Body, Expect.Unauthorized, "intuit-signature", key: "not-the-token"),
                    "missing signature" => new(genuine.Body, [], Expect.Unauthorized, "intuit-signature"),
                    "replayed delivery" => new(genuine.Body, new(genuine.Headers), Expect.OneEffect, "", $"invoice:{entityId}:created"),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
                };
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, null);
        }
    }

    private async Task ValidEventIsProcessedAsync(string source)
    {
        var valid = Build(source, "replayed delivery");
        using var response = await PostAsync(source, valid.Body, valid.Headers);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await Polling.UntilAsync(
            () => Task.FromResult(_seen.Contains(valid.ExpectedEffect!) || _followUp.Mailchimp.Sent.Any(e => e.To == valid.ExpectedEffect)),
            $"the valid {source} event after the bad one is processed (seen: {string.Join(", ", _seen)})",
            TimeSpan.FromSeconds(20));
    }

    private async Task<HttpResponseMessage> PostAsync(string source, byte[] body, IReadOnlyDictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{source}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _app.GetTestClient().SendAsync(request);
    }

    /// <summary>The reason of the inbox message a bad body became: unreadable at the endpoint, or not convertible by its route.</summary>
    private static async Task<string> DeadLetterReasonAsync(IWebhookInbox inbox, string source, Case bad)
    {
        var unreadable = "malformed:" + Convert.ToHexStringLower(SHA256.HashData(bad.Body).AsSpan(0, 12));
        var candidates = new List<string> { InboxMessage.CreateId(source, unreadable) };
        foreach (var id in EventIds(source, bad))
        {
            candidates.Add(InboxMessage.CreateId(source, id));
        }

        foreach (var id in candidates)
        {
            if (await inbox.GetAsync(id) is { State: InboxState.DeadLettered } message)
            {
                return message.Error ?? "";
            }
        }

        throw new InvalidOperationException($"no dead-lettered inbox message found for the {source} request");
    }

    private static List<string> EventIds(string source, Case bad)
    {
        var ids = new List<string>();
        if (source == "shopify" && bad.Headers.TryGetValue("X-Shopify-Event-Id", out var shopifyId))
        {
            ids.Add(shopifyId);
        }

        try
        {
            var json = JsonNode.Parse(bad.Body);
            if (json is JsonObject o && o["id"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                ids.Add(o["id"]!.GetValue<string>());
            }

            if (json is JsonArray { Count: > 0 } a && a[0]?["eventId"] is { } eventId)
            {
                ids.Add(eventId.ToJsonString());
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            // Not readable: the endpoint kept it under its body's hash.
        }

        return ids;
    }
}
