using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Stripe.Tests.Simulator;

/// <summary>
/// The simulator answers as Stripe's API reference and OpenAPI spec (API 2023-08-16) say: full objects, Stripe's error
/// object for unknown routes, parameters and ids, <c>Stripe-Version</c> checked, <c>expand[]</c> and list filters honoured.
/// </summary>
public sealed class StripeSimulatorApiTests : IAsyncLifetime
{
    // The properties the 2023-08-16 spec (components/schemas/*/required) marks required: facts copied from the spec.
    private static readonly string[] InvoiceRequired =
    [
        "amount_due", "amount_paid", "amount_remaining", "amount_shipping", "attempt_count", "attempted", "automatic_tax", "collection_method",
        "created", "currency", "default_tax_rates", "lines", "livemode", "object", "paid", "paid_out_of_band", "payment_settings", "period_end",
        "period_start", "post_payment_credit_notes_amount", "pre_payment_credit_notes_amount", "starting_balance", "status_transitions", "subtotal",
        "total", "total_tax_amounts",
    ];

    private static readonly string[] LineItemRequired = ["amount", "currency", "discountable", "id", "livemode", "metadata", "object", "period", "proration", "type"];

    private static readonly string[] SubscriptionRequired =
    [
        "automatic_tax", "billing_cycle_anchor", "cancel_at_period_end", "collection_method", "created", "currency", "current_period_end",
        "current_period_start", "customer", "id", "items", "livemode", "metadata", "object", "start_date", "status",
    ];

    private static readonly string[] EventRequired = ["created", "data", "id", "livemode", "object", "pending_webhooks", "type"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly StripeSimulator _simulator;
    private HttpClient _client = null!;

    public StripeSimulatorApiTests() => _simulator = new StripeSimulator(timeProvider: _time);

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _client = new HttpClient { BaseAddress = _simulator.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _simulator.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "/v1/nope")]
    [InlineData("GET", "/v1/invoices/in_1/nope")]
    [InlineData("GET", "/v1/invoice")]
    [InlineData("PUT", "/v1/customers/cus_1")]
    public async Task UnknownRoute_Is404WithStripesErrorObject(string method, string path)
    {
        _simulator.Conformance = ConformanceMode.Record; // a route the spec does not have, on purpose

        var (status, body) = await SendAsync(method, path);

        status.Should().Be(HttpStatusCode.NotFound);
        body["error"]!["type"]!.GetValue<string>().Should().Be("invalid_request_error");
        body["error"]!["message"]!.GetValue<string>().Should().Be($"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
    }

    [Fact]
    public async Task UnknownRoute_WithoutAKey_Is401First()
    {
        _simulator.Conformance = ConformanceMode.Record; // a route the spec does not have, on purpose

        using var response = await _client.GetAsync(new Uri("/v1/nope", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("You did not provide an API key");
    }

    [Theory]
    [InlineData("/v1/invoices?bogus=1", "bogus")]
    [InlineData("/v1/invoices?created[since]=1", "created[since]")]
    [InlineData("/v1/customers/cus_1?limit=3", "limit")]
    [InlineData("/v1/events?subscription=sub_1", "subscription")]
    public async Task UndeclaredParameter_Is400ParameterUnknown_NamingIt(string pathAndQuery, string param)
    {
        _simulator.Conformance = ConformanceMode.Record; // a parameter the spec does not declare, on purpose

        var (status, body) = await SendAsync("GET", pathAndQuery);

        status.Should().Be(HttpStatusCode.BadRequest);
        body["error"]!["type"]!.GetValue<string>().Should().Be("invalid_request_error");
        body["error"]!["code"]!.GetValue<string>().Should().Be("parameter_unknown");
        body["error"]!["param"]!.GetValue<string>().Should().Be(param);
        body["error"]!["message"]!.GetValue<string>().Should().Be($"Received unknown parameter: {param}");
    }

    [Fact]
    public async Task UndeclaredFormParameter_Is400_AndADeclaredOneIsAccepted()
    {
        var pat = _simulator.AddCustomer("pat@example.com");

        var (unknown, unknownBody) = await SendAsync("POST", $"/v1/customers/{pat}", "address[street]=Main");
        var (valid, validBody) = await SendAsync("POST", $"/v1/customers/{pat}", "address[line1]=1 Main St&address[country]=US&tax_exempt=exempt&balance=-500&expand[]=invoice_settings");

        unknown.Should().Be(HttpStatusCode.BadRequest);
        unknownBody["error"]!["param"]!.GetValue<string>().Should().Be("address[street]");
        valid.Should().Be(HttpStatusCode.OK);
        validBody["address"]!.ToJsonString().Should().Be("""{"city":null,"country":"US","line1":"1 Main St","line2":null,"postal_code":null,"state":null}""");
        validBody["tax_exempt"]!.GetValue<string>().Should().Be("exempt");
        validBody["balance"]!.GetValue<long>().Should().Be(-500);
    }

    [Theory]
    [InlineData("/v1/invoices?limit=ten", "limit", "parameter_invalid_integer")]
    [InlineData("/v1/invoices?created[gte]=yesterday", "created[gte]", "parameter_invalid_integer")]
    [InlineData("/v1/subscriptions?status=lapsed", "status", null)]
    public async Task DeclaredParameterOfTheWrongKind_Is400NamingIt(string pathAndQuery, string param, string? code)
    {
        _simulator.Conformance = ConformanceMode.Record; // a value the spec refuses, on purpose

        var (status, body) = await SendAsync("GET", pathAndQuery);

        status.Should().Be(HttpStatusCode.BadRequest);
        body["error"]!["param"]!.GetValue<string>().Should().Be(param);
        body["error"]!["code"]?.GetValue<string>().Should().Be(code);
    }

    [Theory]
    [InlineData("/v1/invoices/in_missing", "invoice")]
    [InlineData("/v1/customers/cus_missing", "customer")]
    [InlineData("/v1/subscriptions/sub_missing", "subscription")]
    [InlineData("/v1/events/evt_missing", "event")]
    [InlineData("/v1/payment_intents/pi_missing", "payment_intent")]
    public async Task UnknownId_Is404ResourceMissing(string path, string kind)
    {
        var (status, body) = await SendAsync("GET", path);

        status.Should().Be(HttpStatusCode.NotFound);
        body["error"]!["code"]!.GetValue<string>().Should().Be("resource_missing");
        body["error"]!["param"]!.GetValue<string>().Should().Be("id");
        body["error"]!["message"]!.GetValue<string>().Should().Be($"No such {kind}: '{path[(path.LastIndexOf('/') + 1)..]}'");
    }

    [Theory]
    [InlineData("2099-01-01")]
    [InlineData("2019-2-19")]
    [InlineData("2025-09-30.acacia")]
    [InlineData("2027-01-27.dahlia")]
    [InlineData("2020-08-27;link_beta=v1")]
    [InlineData("latest")]
    [InlineData("2019-12-03, 2019-12-03")]
    public async Task UnknownStripeVersion_IsRefused_AsStripeDoes(string version)
    {
        var pat = _simulator.AddCustomer("pat@example.com");

        var (status, body) = await SendAsync("GET", $"/v1/customers/{pat}", version: version);

        status.Should().Be(HttpStatusCode.BadRequest);
        body["error"]!["type"]!.GetValue<string>().Should().Be("invalid_request_error");
        body["error"]!["message"]!.GetValue<string>().Should().Be($"Invalid Stripe API version: {version}");
        _simulator.Executions.Should().NotContainKey("customers.retrieve");
    }

    [Theory]
    [InlineData("2023-08-16")]
    [InlineData("2020-08-27")]
    [InlineData("2024-12-18.acacia")]
    [InlineData("2025-03-31.basil")]
    [InlineData("2026-07-29.dahlia")]
    [InlineData(null)]
    public async Task ReleasedStripeVersion_OrNone_IsServed(string? version)
    {
        var pat = _simulator.AddCustomer("pat@example.com");

        var (status, body) = await SendAsync("GET", $"/v1/customers/{pat}", version: version);

        status.Should().Be(HttpStatusCode.OK);
        body["id"]!.GetValue<string>().Should().Be(pat);
    }

    [Fact]
    public async Task Invoice_CarriesEveryFieldTheSpecRequires_AndStripesExampleFields()
    {
        var pat = _simulator.AddCustomer("pat@example.com", "Pat");
        var subscription = _simulator.AddSubscription(pat);
        var invoice = _simulator.AddInvoice(pat, 2000, subscriptionId: subscription);

        var (_, body) = await SendAsync("GET", $"/v1/invoices/{invoice}");
        var (_, list) = await SendAsync("GET", "/v1/invoices");

        foreach (var answer in new[] { body, list["data"]![0]! })
        {
            answer.AsObject().Select(p => p.Key).Should().Contain(InvoiceRequired);
            answer.AsObject().Count.Should().BeGreaterThanOrEqualTo(74, "Stripe sends 74 fields or more on an invoice");
            answer["lines"]!["data"]![0]!.AsObject().Select(p => p.Key).Should().Contain(LineItemRequired);
        }

        body["paid"]!.GetValue<bool>().Should().BeFalse();
        body["amount_due"]!.GetValue<long>().Should().Be(2000);
        body["customer_name"]!.GetValue<string>().Should().Be("Pat");
        body["subscription"]!.GetValue<string>().Should().Be(subscription);
        body["parent"]!["subscription_details"]!["subscription"]!.GetValue<string>().Should().Be(subscription);
        body["lines"]!["data"]![0]!["amount"]!.GetValue<long>().Should().Be(2000);
        body["lines"]!["data"]![0]!["type"]!.GetValue<string>().Should().Be("subscription");
        body["status_transitions"]!["finalized_at"]!.GetValue<long>().Should().Be(_time.GetUtcNow().ToUnixTimeSeconds());
        body["payment_intent"]!.GetValue<string>().Should().StartWith("pi_");
    }

    [Fact]
    public async Task SubscriptionAndEvent_CarryEveryFieldTheSpecRequires()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var subscription = _simulator.AddSubscription(pat);
        var eventId = _simulator.FailPayment(_simulator.AddInvoice(pat, 2000, subscriptionId: subscription));

        var (_, sub) = await SendAsync("GET", $"/v1/subscriptions/{subscription}");
        var (_, evt) = await SendAsync("GET", $"/v1/events/{eventId}");

        sub.AsObject().Select(p => p.Key).Should().Contain(SubscriptionRequired);
        sub["items"]!["data"]![0]!["price"]!["id"]!.GetValue<string>().Should().StartWith("price_");
        evt.AsObject().Select(p => p.Key).Should().Contain(EventRequired);
        evt["data"]!["object"]!.AsObject().Select(p => p.Key).Should().Contain(InvoiceRequired);
    }

    [Fact]
    public async Task Expand_ReplacesIdsWithObjects_OnARetrieveAndOnAList()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var subscription = _simulator.AddSubscription(pat);
        var invoice = _simulator.AddInvoice(pat, 2000, subscriptionId: subscription);

        var (status, body) = await SendAsync("GET", $"/v1/invoices/{invoice}?expand[]=customer&expand[]=subscription.latest_invoice&expand[]=payment_intent");
        var (plain, unexpanded) = await SendAsync("GET", $"/v1/invoices/{invoice}");
        var (listed, list) = await SendAsync("GET", "/v1/invoices?expand[]=data.customer");

        status.Should().Be(HttpStatusCode.OK);
        body["customer"]!["object"]!.GetValue<string>().Should().Be("customer");
        body["customer"]!["email"]!.GetValue<string>().Should().Be("pat@example.com");
        body["subscription"]!["id"]!.GetValue<string>().Should().Be(subscription);
        body["subscription"]!["latest_invoice"]!["id"]!.GetValue<string>().Should().Be(invoice);
        body["payment_intent"]!["object"]!.GetValue<string>().Should().Be("payment_intent");
        body["payment_intent"]!["amount"]!.GetValue<long>().Should().Be(2000);
        plain.Should().Be(HttpStatusCode.OK);
        unexpanded["customer"]!.GetValue<string>().Should().Be(pat);
        listed.Should().Be(HttpStatusCode.OK);
        list["data"]![0]!["customer"]!["id"]!.GetValue<string>().Should().Be(pat);
    }

    [Theory]
    [InlineData("/v1/invoices/{invoice}?expand[]=number", "This property cannot be expanded (number).")]
    [InlineData("/v1/invoices?expand[]=customer", "This property cannot be expanded (customer). You may want to try expanding 'data.customer' instead.")]
    [InlineData("/v1/events/{event}?expand[]=data.object", "This property cannot be expanded (data.object).")]
    [InlineData("/v1/invoices/{invoice}?expand[]=subscription.latest_invoice.subscription.latest_invoice.customer", "You cannot expand more than 4 levels of a property. Property: subscription.latest_invoice.subscription.latest_invoice.customer")]
    public async Task Expand_OfAFieldTheSpecDoesNotMarkExpandable_Is400(string pathAndQuery, string message)
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var invoice = _simulator.AddInvoice(pat, 2000);
        var eventId = _simulator.FailPayment(invoice);

        var (status, body) = await SendAsync("GET", pathAndQuery.Replace("{invoice}", invoice, StringComparison.Ordinal).Replace("{event}", eventId, StringComparison.Ordinal));

        status.Should().Be(HttpStatusCode.BadRequest);
        body["error"]!["message"]!.GetValue<string>().Should().Be(message);
        body["error"]!["param"]!.GetValue<string>().Should().Be("expand[0]");
    }

    [Fact]
    public async Task ListFilters_CreatedRangeStatusCustomerSubscription_AreHonoured()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var sam = _simulator.AddCustomer("sam@example.com");
        var subscription = _simulator.AddSubscription(pat);
        var early = _simulator.AddInvoice(pat, 1000, status: "paid");
        var start = _time.GetUtcNow().ToUnixTimeSeconds();
        _time.Advance(TimeSpan.FromDays(2));
        var late = _simulator.AddInvoice(pat, 2000, subscriptionId: subscription);
        var sams = _simulator.AddInvoice(sam, 3000);

        async Task<string[]> Ids(string query) => (await SendAsync("GET", "/v1/invoices?" + query)).Body["data"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

        (await Ids($"created[gt]={start}")).Should().Equal(sams, late);
        (await Ids($"created[lte]={start}")).Should().Equal(early);
        (await Ids($"created={start}")).Should().Equal(early);
        (await Ids("status=paid")).Should().Equal(early);
        (await Ids($"customer={sam}")).Should().Equal(sams);
        (await Ids($"subscription={subscription}")).Should().Equal(late);
        (await Ids($"customer={pat}&status=open&created[gte]={start + 1}&collection_method=charge_automatically")).Should().Equal(late);
    }

    [Fact]
    public async Task EveryParameterTheSpecDeclaresForListInvoices_IsAccepted()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var invoice = _simulator.AddInvoice(pat, 1000);

        var (status, _) = await SendAsync("GET",
            $"/v1/invoices?collection_method=send_invoice&created[gte]=0&customer={pat}&due_date[lt]=1&expand[]=data.customer&limit=5&starting_after={invoice}&status=draft&subscription=sub_x");
        var (before, _) = await SendAsync("GET", $"/v1/invoices?ending_before={invoice}");

        status.Should().Be(HttpStatusCode.OK);
        before.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Events_TypesAndCreated_AreHonoured()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var first = _simulator.FailPayment(_simulator.AddInvoice(pat, 1000));
        _time.Advance(TimeSpan.FromMinutes(5));
        var second = _simulator.FailPayment(_simulator.AddInvoice(pat, 2000));
        var (_, created) = await SendAsync("POST", "/v1/customers", "email=sam@example.com");

        async Task<string[]> Ids(string query) => (await SendAsync("GET", "/v1/events?" + query)).Body["data"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

        (await Ids("types[]=invoice.payment_failed")).Should().Equal(second, first);
        (await Ids("types[]=customer.created&types[]=invoice.*")).Should().HaveCount(3);
        (await Ids($"created[gt]={_time.GetUtcNow().ToUnixTimeSeconds() - 60}&type=invoice.payment_failed")).Should().Equal(second);
        created["id"]!.GetValue<string>().Should().StartWith("cus_");
        (await SendAsync("GET", "/v1/events?type=a&types[]=b")).Status.Should().Be(HttpStatusCode.BadRequest);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(string method, string pathAndQuery, string? form = null, string? version = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(pathAndQuery, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StripeSimulator.DefaultApiKey);
        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Version", version);
        }

        if (form is not null)
        {
            request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().NotBeEmpty("Stripe always answers with a JSON body");
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
