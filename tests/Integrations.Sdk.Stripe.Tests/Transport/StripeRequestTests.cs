using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.Stripe.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Stripe.Tests.Transport;

/// <summary>The exact requests the connector sends, and how it reads Stripe's answers, against WireMock.</summary>
public sealed class StripeRequestTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = StripeHost.Clock();
    private readonly ServiceProvider _services;

    public StripeRequestTests() => _services = StripeHost.Build(_server.Url!, _time);

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private StripeConnector Connector => _services.GetRequiredService<StripeConnector>();

    [Fact]
    public async Task GetCustomer_SendsBearerKeyAndPinnedVersion_AndReadsTheCustomer()
    {
        _server.Given(Request.Create().WithPath("/v1/customers/cus_123").UsingGet()).RespondWith(Json(200, Customer("cus_123", """{"crm_id":"42"}""")));

        var customer = await Connector.GetCustomerAsync("cus_123");

        customer!.Id.Should().Be("cus_123");
        customer.Email.Should().Be("pat@example.com");
        customer.Metadata.Should().Equal(new Dictionary<string, string> { ["crm_id"] = "42" });
        customer.Created.Should().Be(1795831200);
        var request = Requests().Single();
        Header(request, "Authorization").Should().Be("Bearer " + StripeHost.ApiKey);
        Header(request, "Stripe-Version").Should().Be(StripeOptions.DefaultApiVersion);
        Header(request, "Accept").Should().Contain("application/json");
        request.Headers!.Should().NotContainKey("Idempotency-Key", "reads carry no key");
    }

    [Fact]
    public async Task GetCustomer_AnotherPinnedVersion_IsSent()
    {
        await using var services = StripeHost.Build(_server.Url!, _time, o => o.ApiVersion = "2025-03-31.basil");
        _server.Given(Request.Create().WithPath("/v1/customers/cus_1").UsingGet()).RespondWith(Json(200, Customer("cus_1", "{}")));

        await services.GetRequiredService<StripeConnector>().GetCustomerAsync("cus_1");

        Header(Requests().Single(), "Stripe-Version").Should().Be("2025-03-31.basil");
    }

    [Fact]
    public async Task GetCustomer_Missing_ReturnsNull()
    {
        _server.Given(Request.Create().WithPath("/v1/customers/cus_nope").UsingGet())
            .RespondWith(Json(404, """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such customer: 'cus_nope'","param":"id"}}"""));

        (await Connector.GetCustomerAsync("cus_nope")).Should().BeNull();
    }

    [Fact]
    public async Task ListInvoices_PagesWithStartingAfterTheLastIdUntilHasMoreIsFalse()
    {
        _server.Given(Request.Create().WithPath("/v1/invoices").UsingGet().WithParam("starting_after", "in_2")).RespondWith(Json(200, List(false, Invoice("in_1"))));
        _server.Given(Request.Create().WithPath("/v1/invoices").UsingGet().WithParam("customer", "cus_9").WithParam("status", "open").WithParam(p => !p.ContainsKey("starting_after")))
            .RespondWith(Json(200, List(true, Invoice("in_3"), Invoice("in_2"))));

        var invoices = new List<StripeInvoice>();
        await foreach (var invoice in Connector.ListInvoicesAsync("cus_9", "open"))
        {
            invoices.Add(invoice);
        }

        invoices.Select(i => i.Id).Should().Equal("in_3", "in_2", "in_1");
        invoices[0].SubscriptionId.Should().Be("sub_1");
        invoices[0].AmountDue.Should().Be(2000);
        var requests = Requests();
        requests.Should().HaveCount(2);
        requests.Select(r => Query(r, "limit")).Should().AllBe("100");
        requests.Select(r => Query(r, "customer")).Should().AllBe("cus_9");
        requests.Select(r => Query(r, "status")).Should().AllBe("open");
        requests[0].Query!.Should().NotContainKey("starting_after");
        Query(requests[1], "starting_after").Should().Be("in_2");
    }

    [Fact]
    public async Task ListCustomers_EmptyAnswer_YieldsNothingAfterOneRequestWithoutNullParameters()
    {
        _server.Given(Request.Create().WithPath("/v1/customers").UsingGet()).RespondWith(Json(200, List(false)));

        var count = 0;
        await foreach (var unused in Connector.ListCustomersAsync())
        {
            count++;
        }

        count.Should().Be(0);
        Requests().Single().Query!.Keys.Should().Equal("limit");
    }

    [Fact]
    public async Task UpdateCustomerMetadata_PostsBracketedFormWithTheIdempotencyKey()
    {
        _server.Given(Request.Create().WithPath("/v1/customers/cus_123").UsingPost()).RespondWith(Json(200, Customer("cus_123", """{"crm_id":"42","tier":"gold"}""")));
        var write = StripeHost.Write();

        var customer = await Connector.UpdateCustomerMetadata.ExecuteAsync(
            new StripeMetadataUpdate("cus_123", new Dictionary<string, string?> { ["crm_id"] = "42", ["tier"] = "gold & co", ["old"] = null }),
            write);

        customer.Metadata.Should().ContainKey("tier");
        var request = Requests().Single();
        request.Method.Should().Be("POST");
        Header(request, "Idempotency-Key").Should().Be(write.IdempotencyKey).And.MatchRegex("^[0-9a-f]{40}$");
        Header(request, "Content-Type").Should().StartWith("application/x-www-form-urlencoded");
        Header(request, "Stripe-Version").Should().Be(StripeOptions.DefaultApiVersion);
        request.Body.Should().Be("metadata[crm_id]=42&metadata[tier]=gold%20%26%20co&metadata[old]=");
    }

    [Fact]
    public async Task CreateCustomer_After500_IsRetriedWithTheSameKeyAndBody()
    {
        _server.Given(Request.Create().WithPath("/v1/customers").UsingPost()).InScenario("retry").WillSetStateTo("failed once")
            .RespondWith(Json(500, """{"error":{"type":"api_error","message":"An unknown error occurred"}}"""));
        _server.Given(Request.Create().WithPath("/v1/customers").UsingPost()).InScenario("retry").WhenStateIs("failed once")
            .RespondWith(Json(200, Customer("cus_new", """{"crm_id":"42"}""")));
        var write = StripeHost.Write("crm:account:42", "customer");

        var customer = await Connector.CreateCustomer.ExecuteAsync(
            new StripeCustomerDraft { Email = " pat@example.com ", Name = "Pat O'Brien", Metadata = new Dictionary<string, string> { ["crm_id"] = "42" } },
            write);

        customer.Id.Should().Be("cus_new");
        var requests = Requests();
        requests.Should().HaveCount(2);
        requests.Select(r => Header(r, "Idempotency-Key")).Should().AllBe(write.IdempotencyKey);
        requests.Select(r => r.Body).Should().AllBe("email=pat%40example.com&name=Pat%20O%27Brien&metadata[crm_id]=42");
    }

    [Fact]
    public async Task CardError_IsAPlatformExceptionWithStripesCodeAndRequestId_NotRetried()
    {
        _server.Given(Request.Create().WithPath("/v1/customers/cus_1").UsingPost()).RespondWith(Response.Create().WithStatusCode(402)
            .WithHeader("Content-Type", "application/json").WithHeader("Request-Id", "req_Zy12")
            .WithBody("""{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined."}}"""));

        var write = () => Connector.UpdateCustomerMetadata.ExecuteAsync(new StripeMetadataUpdate("cus_1", new Dictionary<string, string?> { ["a"] = "b" }), StripeHost.Write());

        var error = (await write.Should().ThrowAsync<PlatformException>()).Which;
        error.Platform.Should().Be("stripe");
        error.StatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        error.ErrorCode.Should().Be("card_declined");
        error.PlatformMessage.Should().Contain("Your card was declined.").And.Contain("generic_decline");
        error.RequestId.Should().Be("req_Zy12");
        error.IsRetryable.Should().BeFalse();
        Requests().Should().HaveCount(1);
    }

    [Fact]
    public async Task ServerError_StripeSaysDoNotRetry_IsNotRetried()
    {
        _server.Given(Request.Create().WithPath("/v1/customers/cus_1").UsingGet()).RespondWith(Response.Create().WithStatusCode(500)
            .WithHeader("Content-Type", "application/json").WithHeader("Stripe-Should-Retry", "false")
            .WithBody("""{"error":{"type":"api_error","message":"Something went wrong."}}"""));

        var read = () => Connector.GetCustomerAsync("cus_1");

        (await read.Should().ThrowAsync<PlatformException>()).Which.IsRetryable.Should().BeFalse();
        Requests().Should().HaveCount(1, "Stripe-Should-Retry: false overrides the status");
    }

    [Fact]
    public async Task Throttle_IsRetryableWithAWait()
    {
        await using var services = StripeHost.Build(_server.Url!, _time, tune: o => o.MaxRetryAttempts = 0);
        _server.Given(Request.Create().WithPath("/v1/events").UsingGet())
            .RespondWith(Json(429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded."}}"""));

        var read = async () =>
        {
            await foreach (var unused in services.GetRequiredService<StripeConnector>().ListEventsAsync())
            {
            }
        };

        var error = (await read.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("rate_limit");
        error.IsRetryable.Should().BeTrue();
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Events_FromACheckpoint_PagesForwardWithEndingBeforeAndYieldsOldestFirst()
    {
        _server.Given(Request.Create().WithPath("/v1/events").UsingGet().WithParam("ending_before", "evt_2"))
            .RespondWith(Json(200, List(true, Event("evt_4"), Event("evt_3"))));
        _server.Given(Request.Create().WithPath("/v1/events").UsingGet().WithParam("ending_before", "evt_4"))
            .RespondWith(Json(200, List(false, Event("evt_5"))));

        var read = new List<(string Id, string? Checkpoint)>();
        await foreach (var record in Connector.Events.ReadAsync("evt_2"))
        {
            read.Add((record.Value.Id, record.Checkpoint));
        }

        read.Should().Equal(("evt_3", "evt_3"), ("evt_4", "evt_4"), ("evt_5", "evt_5"));
        Requests().Select(r => Query(r, "ending_before")).Should().Equal("evt_2", "evt_4");
    }

    [Fact]
    public async Task Events_FullRead_ListsWithStartingAfterAndYieldsOldestFirst()
    {
        _server.Given(Request.Create().WithPath("/v1/events").UsingGet().WithParam(p => !p.ContainsKey("starting_after")))
            .RespondWith(Json(200, List(true, Event("evt_3"), Event("evt_2"))));
        _server.Given(Request.Create().WithPath("/v1/events").UsingGet().WithParam("starting_after", "evt_2"))
            .RespondWith(Json(200, List(false, Event("evt_1"))));

        var ids = new List<string>();
        await foreach (var record in Connector.Events.ReadAsync(null))
        {
            ids.Add(record.Value.Id);
            record.Checkpoint.Should().Be(record.Value.Id);
        }

        ids.Should().Equal("evt_1", "evt_2", "evt_3");
    }

    [Fact]
    public async Task Events_CheckpointThatIsNotAnEventId_IsRefused()
    {
        var read = async () =>
        {
            await foreach (var unused in Connector.Events.ReadAsync("2026-11-28"))
            {
            }
        };

        await read.Should().ThrowAsync<ArgumentException>().WithMessage("*evt_*");
    }

    private static string Customer(string id, string metadata) =>
        $$"""{"id":"{{id}}","object":"customer","email":"pat@example.com","name":"Pat O'Brien","created":1795831200,"livemode":false,"delinquent":false,"metadata":{{metadata}}}""";

    private static string Invoice(string id) =>
        $$$"""{"id":"{{{id}}}","object":"invoice","customer":"cus_9","status":"open","amount_due":2000,"amount_paid":0,"amount_remaining":2000,"currency":"usd","attempt_count":0,"attempted":false,"created":1795831200,"parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_1"}},"metadata":{}}""";

    private static string Event(string id) =>
        """{"id":"ID","object":"event","type":"customer.updated","created":1795831200,"api_version":"2026-07-29.dahlia","livemode":false,"pending_webhooks":0,"data":{"object":{"id":"cus_1","object":"customer"},"previous_attributes":{"metadata":{}}}}"""
            .Replace("\"ID\"", "\"" + id + "\"", StringComparison.Ordinal);

    private static string List(bool hasMore, params string[] items) =>
        $$"""{"object":"list","url":"/v1/x","has_more":{{(hasMore ? "true" : "false")}},"data":[{{string.Join(',', items)}}]}""";

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime).Select(e => e.RequestMessage!)];

    private static string Query(IRequestMessage request, string name) => request.Query![name].Single();

    private static string Header(IRequestMessage request, string name) => string.Join(", ", request.Headers![name]);
}
