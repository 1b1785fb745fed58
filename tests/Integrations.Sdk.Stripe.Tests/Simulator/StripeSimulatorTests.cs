using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.Stripe.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Stripe;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Stripe.Tests.Simulator;

/// <summary>The connector against the Stripe simulator: paging, idempotent replay under faults, events and webhooks.</summary>
public sealed class StripeSimulatorTests : IAsyncLifetime
{
    private readonly StripeSimulator _simulator = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = StripeHost.Build(_simulator, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private StripeConnector Connector => _services.GetRequiredService<StripeConnector>();

    [Fact]
    public async Task ListCustomers_PagesThroughEveryCustomerNewestFirst()
    {
        for (var i = 1; i <= 250; i++)
        {
            _simulator.AddCustomer($"c{i}@example.com", $"Customer {i}");
        }

        var customers = await ToListAsync(Connector.ListCustomersAsync());

        customers.Should().HaveCount(250);
        customers.Select(c => c.Id).Should().Equal(_simulator.CustomerIds.Reverse());
        customers[0].Email.Should().Be("c250@example.com");
        var lists = _simulator.Requests.Where(r => r.Endpoint == "customers.list").ToList();
        lists.Should().HaveCount(3);
        lists[0].Form.Should().Be("limit=100");
        lists[1].Form.Should().Be($"limit=100&starting_after={customers[99].Id}");
        lists.Select(r => r.StripeVersion).Should().AllBe(StripeOptions.DefaultApiVersion);
    }

    [Fact]
    public async Task ListCustomers_ByEmail_AndLookups()
    {
        var pat = _simulator.AddCustomer("pat@example.com", "Pat", new Dictionary<string, string> { ["crm_id"] = "42" });
        _simulator.AddCustomer("sam@example.com", "Sam");

        var found = await ToListAsync(Connector.ListCustomersAsync("pat@example.com"));
        var customer = await Connector.GetCustomerAsync(pat);

        found.Should().ContainSingle().Which.Id.Should().Be(pat);
        customer!.Metadata.Should().Equal(new Dictionary<string, string> { ["crm_id"] = "42" });
        (await Connector.GetCustomerAsync("cus_missing")).Should().BeNull();
    }

    [Fact]
    public async Task InvoicesAndSubscriptions_FilterAndReadTheSubscriptionFromTheParent()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var sam = _simulator.AddCustomer("sam@example.com");
        var subscription = _simulator.AddSubscription(pat);
        _simulator.AddSubscription(pat, "canceled");
        var open = _simulator.AddInvoice(pat, 2000, subscriptionId: subscription);
        _simulator.AddInvoice(pat, 1000, status: "paid");
        _simulator.AddInvoice(sam, 500);

        var patsOpen = await ToListAsync(Connector.ListInvoicesAsync(pat, "open"));
        var patsSubscriptions = await ToListAsync(Connector.ListSubscriptionsAsync(pat));
        var all = await ToListAsync(Connector.ListSubscriptionsAsync(pat, "all"));
        var invoice = await Connector.GetInvoiceAsync(open);

        patsOpen.Should().ContainSingle().Which.Id.Should().Be(open);
        invoice!.SubscriptionId.Should().Be(subscription);
        invoice.CustomerEmail.Should().Be("pat@example.com");
        invoice.AmountRemaining.Should().Be(2000);
        patsSubscriptions.Should().ContainSingle().Which.Id.Should().Be(subscription);
        all.Should().HaveCount(2);
        (await Connector.GetSubscriptionAsync(subscription))!.LatestInvoice.Should().Be(open);
    }

    [Fact]
    public async Task UpdateMetadata_CommitThenDrop_IsRetriedWithTheSameKeyAndAppliedOnce()
    {
        var pat = _simulator.AddCustomer("pat@example.com", metadata: new Dictionary<string, string> { ["old"] = "x" });
        var write = StripeHost.Write();
        var update = new StripeMetadataUpdate(pat, new Dictionary<string, string?> { ["crm_id"] = "42", ["old"] = null });
        _simulator.Faults.Add("customers.update", FaultKind.CommitThenDrop);

        var updated = await Connector.UpdateCustomerMetadata.ExecuteAsync(update, write);
        var rerun = await Connector.UpdateCustomerMetadata.ExecuteAsync(update, write);

        updated.Metadata.Should().Equal(new Dictionary<string, string> { ["crm_id"] = "42" });
        rerun.Metadata.Should().Equal(updated.Metadata);
        _simulator.Executions["customers.update"].Should().Be(1, "the retry after the dropped connection and the rerun were replays");
        _simulator.IdempotentReplays.Should().Be(2);
        _simulator.Requests.Where(r => r.Endpoint == "customers.update").Select(r => r.IdempotencyKey).Should().HaveCount(3).And.AllBe(write.IdempotencyKey);
        _simulator.EventIds.Select(id => _simulator.Event(id)!["type"]!.GetValue<string>()).Should().Equal("customer.updated");
        var previous = _simulator.Event(_simulator.EventIds.Single())!["data"]!["previous_attributes"]!;
        previous.ToJsonString().Should().Be("""{"metadata":{"old":"x"}}""");
    }

    [Fact]
    public async Task CreateCustomer_SameKeyAfter24Hours_ExecutesAgainAsStripeForgetsTheKey()
    {
        var clock = StripeHost.Clock();
        await using var simulator = new StripeSimulator(timeProvider: clock);
        await simulator.StartAsync();
        await using var services = StripeHost.Build(simulator, clock);
        var connector = services.GetRequiredService<StripeConnector>();
        var write = StripeHost.Write("crm:account:7", "customer");
        var draft = new StripeCustomerDraft { Email = "sam@example.com", Name = "Sam" };

        var first = await connector.CreateCustomer.ExecuteAsync(draft, write);
        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        var replayed = await connector.CreateCustomer.ExecuteAsync(draft, write);
        clock.Advance(TimeSpan.FromMinutes(2));
        var again = await connector.CreateCustomer.ExecuteAsync(draft, write);

        replayed.Id.Should().Be(first.Id, "within 24 hours the key replays the first answer");
        again.Id.Should().NotBe(first.Id, "a key older than 24 hours may be pruned, so the write runs again: a retry must not rely on it after a day");
        simulator.CustomerIds.Should().HaveCount(2);
        simulator.IdempotentReplays.Should().Be(1);
    }

    [Fact]
    public async Task CreateCustomer_CommitThenDrop_CreatesExactlyOneCustomer()
    {
        var write = StripeHost.Write("crm:account:42", "customer");
        _simulator.Faults.Add("customers.create", FaultKind.CommitThenDrop);

        var customer = await Connector.CreateCustomer.ExecuteAsync(new StripeCustomerDraft { Email = "pat@example.com", Name = "Pat", Metadata = new Dictionary<string, string> { ["crm_id"] = "42" } }, write);

        _simulator.CustomerIds.Should().ContainSingle().Which.Should().Be(customer.Id);
        _simulator.Customer(customer.Id)!["metadata"]!["crm_id"]!.GetValue<string>().Should().Be("42");
        _simulator.IdempotentReplays.Should().Be(1);
        _simulator.Event(_simulator.EventIds.Single())!["request"]!["idempotency_key"]!.GetValue<string>().Should().Be(write.IdempotencyKey);
    }

    [Fact]
    public async Task SameKeyWithOtherParameters_IsAnIdempotencyError()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var write = StripeHost.Write();
        await Connector.UpdateCustomerMetadata.ExecuteAsync(new StripeMetadataUpdate(pat, new Dictionary<string, string?> { ["tier"] = "gold" }), write);

        var other = () => Connector.UpdateCustomerMetadata.ExecuteAsync(new StripeMetadataUpdate(pat, new Dictionary<string, string?> { ["tier"] = "silver" }), write);

        var error = (await other.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("idempotency_error");
        error.RequestId.Should().StartWith("req_");
        _simulator.Customer(pat)!["metadata"]!["tier"]!.GetValue<string>().Should().Be("gold");
    }

    [Fact]
    public async Task InjectedServerErrorAndThrottle_AreRetried_AndKeepNoIdempotentAnswer()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        _simulator.Faults.Add("customers.update", FaultKind.ServerError);
        _simulator.Faults.Add("invoices.list", FaultKind.ServerError);

        await Connector.UpdateCustomerMetadata.ExecuteAsync(new StripeMetadataUpdate(pat, new Dictionary<string, string?> { ["a"] = "1" }), StripeHost.Write());
        await ToListAsync(Connector.ListInvoicesAsync());

        _simulator.Executions["customers.update"].Should().Be(1);
        _simulator.IdempotentReplays.Should().Be(0, "the 503 was answered before the endpoint executed");
        _simulator.Faults.InjectedTotal.Should().Be(2);
    }

    [Fact]
    public async Task ARefusedRequest_KeepsNothing_SoTheKeyCanBeUsedAgain()
    {
        _simulator.Conformance = ConformanceMode.Record; // a parameter the spec does not declare, on purpose

        var pat = _simulator.AddCustomer("pat@example.com");
        using var client = new HttpClient { BaseAddress = _simulator.BaseAddress };

        using var unknown = await PostAsync(client, $"/v1/customers/{pat}", "colour=blue", "key-1");
        using var valid = await PostAsync(client, $"/v1/customers/{pat}", "metadata[a]=1", "key-1");
        using var replay = await PostAsync(client, $"/v1/customers/{pat}", "metadata[a]=1", "key-1");

        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("Received unknown parameter: colour").And.Contain("\"param\":\"colour\"");
        valid.StatusCode.Should().Be(HttpStatusCode.OK);
        valid.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await replay.Content.ReadAsStringAsync()).Should().Be(await valid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnErrorOfAnExecutedRequest_IsReplayedToo()
    {
        using var client = new HttpClient { BaseAddress = _simulator.BaseAddress };

        using var first = await PostAsync(client, "/v1/customers/cus_missing", "metadata[a]=1", "key-2");
        _simulator.AddCustomer("pat@example.com");
        using var again = await PostAsync(client, "/v1/customers/cus_missing", "metadata[a]=1", "key-2");

        first.StatusCode.Should().Be(HttpStatusCode.NotFound);
        again.StatusCode.Should().Be(HttpStatusCode.NotFound);
        again.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
    }

    [Fact]
    public async Task WrongKey_Is401WithStripesErrorBody()
    {
        await using var services = StripeHost.Build(TimeProvider.System, o =>
        {
            o.ApiKey = "sk_test_wrong_key_000000000000";
            o.BaseAddress = _simulator.BaseAddress;
        });

        var read = () => services.GetRequiredService<StripeConnector>().GetCustomerAsync("cus_1");

        var error = (await read.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        error.PlatformMessage.Should().Contain("Invalid API Key provided").And.NotContain("sk_test_wrong_key_000000000000");
    }

    [Fact]
    public async Task Events_FullReadThenFromTheCheckpoint_YieldEachEventOnceOldestFirst()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var invoice = _simulator.AddInvoice(pat, 2000);
        var first = Enumerable.Range(0, 130).Select(_ => _simulator.FailPayment(invoice)).ToList();

        var read = await ToListAsync(Connector.Events.ReadAsync(null));
        var checkpoint = read[^1].Checkpoint;
        var second = Enumerable.Range(0, 105).Select(_ => _simulator.FailPayment(invoice)).ToList();
        var more = await ToListAsync(Connector.Events.ReadAsync(checkpoint));
        var none = await ToListAsync(Connector.Events.ReadAsync(more[^1].Checkpoint));

        read.Select(r => r.Value.Id).Should().Equal(first);
        read.Select(r => r.Checkpoint).Should().Equal(first);
        more.Select(r => r.Value.Id).Should().Equal(second);
        none.Should().BeEmpty();
        _simulator.Requests.Where(r => r.Endpoint == "events.list").Select(r => r.Form).Should().Contain($"ending_before={checkpoint}&limit=100");
        StripeInvoicePaymentFailed.From(more[^1].Value).AttemptCount.Should().Be(235);
    }

    [Fact]
    public async Task PaymentFailedWebhook_VerifiesAndReadsAsTyped()
    {
        var pat = _simulator.AddCustomer("pat@example.com", "Pat");
        var subscription = _simulator.AddSubscription(pat);
        var invoice = _simulator.AddInvoice(pat, 4900, "eur", subscription);
        var eventId = _simulator.FailPayment(invoice);
        var source = _services.GetRequiredService<StripeWebhookSource>();

        var webhook = _simulator.CreateWebhook(eventId);
        var request = ToRequest(webhook);

        source.Verify(request).Should().Be(WebhookVerification.Valid);
        var parsed = source.Parse(request).Should().ContainSingle().Subject;
        parsed.EventId.Should().Be(eventId);
        var failed = StripeWebhookSource.ReadInvoicePaymentFailed(parsed);
        failed.InvoiceId.Should().Be(invoice);
        failed.CustomerId.Should().Be(pat);
        failed.CustomerEmail.Should().Be("pat@example.com");
        failed.AmountDue.Should().Be(4900);
        failed.Currency.Should().Be("eur");
        failed.AttemptCount.Should().Be(1);
        failed.SubscriptionId.Should().Be(subscription);
        failed.NextPaymentAttempt.Should().BeAfter(DateTimeOffset.UtcNow.AddDays(2));
        failed.HostedInvoiceUrl.Should().StartWith("https://invoice.stripe.com/");
        (await Connector.GetSubscriptionAsync(subscription))!.Status.Should().Be("past_due");
        (await Connector.GetCustomerAsync(pat))!.Delinquent.Should().BeTrue();
    }

    [Fact]
    public void ForgedAndStaleWebhooks_AreRefused()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var eventId = _simulator.FailPayment(_simulator.AddInvoice(pat, 100), finalAttempt: true);
        var source = _services.GetRequiredService<StripeWebhookSource>();

        var forged = source.Verify(ToRequest(_simulator.CreateWebhook(eventId, secret: "whsec_attacker")));
        var stale = source.Verify(ToRequest(_simulator.CreateWebhook(eventId, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10))));
        var stripped = source.Verify(ToRequest(_simulator.CreateWebhook(eventId).WithHeader("Stripe-Signature", "t=1")));

        forged.IsValid.Should().BeFalse();
        stale.Failure.Should().Contain("tolerance");
        stripped.Failure.Should().Contain("no v1");
        StripeWebhookSource.ReadInvoicePaymentFailed(source.Parse(ToRequest(_simulator.CreateWebhook(eventId))).Single()).NextPaymentAttempt.Should().BeNull();
    }

    [Fact]
    public async Task SaveAndLoad_KeepsDataAndIdempotencyKeys()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var write = StripeHost.Write();
        var update = new StripeMetadataUpdate(pat, new Dictionary<string, string?> { ["a"] = "1" });
        await Connector.UpdateCustomerMetadata.ExecuteAsync(update, write);
        var path = Path.Combine(Path.GetTempPath(), $"stripe-sim-{Guid.NewGuid():N}.json");
        try
        {
            await _simulator.SaveAsync(path);
            await using var loaded = await StripeSimulator.LoadAsync(path);
            await loaded.StartAsync();
            await using var services = StripeHost.Build(loaded, TimeProvider.System);

            var replayed = await services.GetRequiredService<StripeConnector>().UpdateCustomerMetadata.ExecuteAsync(update, write);
            var added = loaded.AddCustomer("sam@example.com");

            replayed.Metadata.Should().Equal(new Dictionary<string, string> { ["a"] = "1" });
            loaded.IdempotentReplays.Should().Be(1);
            loaded.Executions.Should().BeEmpty();
            loaded.CustomerIds.Should().Equal(pat, added);
            loaded.EventIds.Should().Equal(_simulator.EventIds);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_OfAnotherFile_IsAFormatException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stripe-sim-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"format":99}""");
        try
        {
            var load = () => StripeSimulator.LoadAsync(path);

            await load.Should().ThrowAsync<FormatException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string form, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StripeSimulator.DefaultApiKey);
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static WebhookRequest ToRequest(SignedWebhook webhook) =>
        new("POST", new Uri("https://example.com/webhooks/stripe"), webhook.Headers, webhook.Body);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
