using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.QuickBooks.Tests.Simulator;

/// <summary>The connector against the simulator over loopback: the behaviours that matter end to end.</summary>
public sealed class QuickBooksSimulatorTests : IAsyncLifetime
{
    private readonly QuickBooksSimulator _simulator = new(realmId: QboHost.Realm);
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = QboHost.Build(_simulator, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private QuickBooksConnector Connector => _services.GetRequiredService<QuickBooksConnector>();

    [Fact]
    public async Task FindOrCreateCustomer_Twice_LeavesOneCustomer()
    {
        var draft = new QboCustomerDraft { DisplayName = "Pat O'Brien", Email = "pat@example.com" };

        var first = await Connector.FindOrCreateCustomer.ExecuteAsync(draft, QboHost.Write("shop:customer:1", "customer"));
        var second = await Connector.FindOrCreateCustomer.ExecuteAsync(draft, QboHost.Write("shop:customer:2", "customer"));
        var byName = await Connector.FindOrCreateCustomer.ExecuteAsync(draft with { Email = "pat@elsewhere.example" }, QboHost.Write("shop:customer:3", "customer"));

        second.Id.Should().Be(first.Id);
        byName.Id.Should().Be(first.Id, "no customer has that email, but one has the display name");
        _simulator.Customers.Should().ContainSingle().Which.Should().Match<SimulatedCustomer>(c => c.DisplayName == "Pat O'Brien" && c.Email == "pat@example.com");
        _simulator.DuplicateCustomers.Should().BeEmpty();
        (await Connector.FindOrCreateCustomer.LookupAsync(draft, QboHost.Write()))!.Id.Should().Be(first.Id);
    }

    [Fact]
    public async Task CreateInvoice_CommitThenDrop_IsRetriedWithTheSameRequestIdAndCreatesExactlyOneInvoice()
    {
        var (customer, mug) = await SeedAsync();
        var write = QboHost.Write("shop:order:1001");
        _simulator.Faults.Add("invoice.create", FaultKind.CommitThenDrop);

        var invoice = await Connector.CreateInvoice.ExecuteAsync(Order("1001", customer.Id!, mug.Id, 2), write);
        var rerun = await Connector.CreateInvoice.ExecuteAsync(Order("1001", customer.Id!, mug.Id, 2), write);

        _simulator.Invoices.Should().ContainSingle().Which.Id.Should().Be(invoice.Id);
        rerun.Id.Should().Be(invoice.Id, "the same requestid replays the original answer");
        _simulator.ReplayedCount.Should().Be(2, "the transport's retry after the dropped connection, then the rerun");
        _simulator.DuplicateInvoices.Should().BeEmpty();
        _simulator.Items.Single().QtyOnHand.Should().Be(8, "the stock moved once");
        invoice.TotalAmt.Should().Be(25m);
    }

    [Fact]
    public async Task CreateInvoice_ADifferentRequestIdForTheSameOrder_IsADuplicateTheSimulatorReports()
    {
        var (customer, mug) = await SeedAsync();

        await Connector.CreateInvoice.ExecuteAsync(Order("1001", customer.Id!, mug.Id, 1), QboHost.Write("shop:order:1001"));
        await Connector.CreateInvoice.ExecuteAsync(Order("1001", customer.Id!, mug.Id, 1), QboHost.Write("shop:order:1001", step: "invoice-again"));

        _simulator.DuplicateInvoices.Should().ContainSingle().Which.DocNumber.Should().Be("1001");
    }

    [Fact]
    public async Task QueryAsync_2500Customers_AreReadInThreePages()
    {
        for (var i = 1; i <= 2500; i++)
        {
            _simulator.AddCustomer(string.Create(CultureInfo.InvariantCulture, $"Customer {i:D4}"), string.Create(CultureInfo.InvariantCulture, $"c{i}@example.com"));
        }

        var ids = new List<string>();
        await foreach (var customer in Connector.QueryAsync<QboCustomer>("Customer"))
        {
            ids.Add(customer.Id!);
        }

        ids.Should().HaveCount(2500).And.OnlyHaveUniqueItems();
        _simulator.RequestCount.Should().Be(3);
        _simulator.RefreshCount.Should().Be(1, "the first call exchanged the initial refresh token");
    }

    [Fact]
    public async Task Inventory_IsReducedByInvoicesAndSalesReceipts_AndAdjustedBySparseUpdates()
    {
        var (customer, mug) = await SeedAsync();
        var service = _simulator.AddItem("WRAP", "Gift wrap", 0, 2m, trackQtyOnHand: false);

        await Connector.CreateInvoice.ExecuteAsync(Order("1001", customer.Id!, mug.Id, 3), QboHost.Write("shop:order:1001"));
        _simulator.Items.Single(i => i.Id == mug.Id).QtyOnHand.Should().Be(7);

        await Connector.CreateSalesReceipt.ExecuteAsync(
            new QboSalesReceiptDraft { DocNumber = "POS-1", Lines = [new QboLineDraft { ItemId = mug.Id, Qty = 2, UnitPrice = 12.5m }, new QboLineDraft { ItemId = service.Id, UnitPrice = 2m }] },
            QboHost.Write("pos:sale:1", "receipt"));
        _simulator.Items.Single(i => i.Id == mug.Id).QtyOnHand.Should().Be(5);
        _simulator.SalesReceipts.Should().ContainSingle().Which.TotalAmt.Should().Be(27m);

        var adjusted = await Connector.AdjustQuantityOnHand.ExecuteAsync(new QboInventoryAdjustment(mug.Id, 4), QboHost.Write("count:mug", "stock"));

        adjusted.QtyOnHand.Should().Be(9);
        var stored = _simulator.Items.Single(i => i.Id == mug.Id);
        stored.QtyOnHand.Should().Be(9);
        stored.SyncToken.Should().Be("3", "the invoice, the sales receipt and the adjustment each changed the item");
        _simulator.Items.Single(i => i.Id == service.Id).QtyOnHand.Should().Be(0, "a service item tracks no stock");
        (await Connector.FindItemBySkuAsync("MUG"))!.QtyOnHand.Should().Be(9);
        _simulator.Customers.Single().Balance.Should().Be(37.5m, "only the invoice is owed");
    }

    [Fact]
    public async Task AdjustQuantityOnHand_RetriedAfterCommitThenDrop_IsAppliedOnce()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        _simulator.Faults.Add("item.update", FaultKind.CommitThenDrop);
        var write = QboHost.Write("count:mug", "stock");

        await Connector.AdjustQuantityOnHand.ExecuteAsync(new QboInventoryAdjustment(mug.Id, -3), write);
        await Connector.AdjustQuantityOnHand.ExecuteAsync(new QboInventoryAdjustment(mug.Id, -3), write);

        _simulator.Items.Single().QtyOnHand.Should().Be(7);
        _simulator.ReplayedCount.Should().Be(2);
    }

    [Fact]
    public async Task ValidationFaults_ReachTheCallerAsPlatformExceptions()
    {
        var (customer, mug) = await SeedAsync();

        var unknownCustomer = await FluentActions.Awaiting(() => Connector.CreateInvoice.ExecuteAsync(Order("1", "999", mug.Id, 1), QboHost.Write("a")))
            .Should().ThrowAsync<PlatformException>();
        var unknownItem = await FluentActions.Awaiting(() => Connector.CreateInvoice.ExecuteAsync(Order("2", customer.Id!, "999", 1), QboHost.Write("b")))
            .Should().ThrowAsync<PlatformException>();

        unknownCustomer.Which.ErrorCode.Should().Be("2500");
        unknownCustomer.Which.PlatformMessage.Should().Contain("element CustomerRef");
        unknownCustomer.Which.RequestId.Should().StartWith("sim-tid-");
        unknownCustomer.Which.IsRetryable.Should().BeFalse();
        unknownItem.Which.PlatformMessage.Should().Contain("element Line.SalesItemLineDetail.ItemRef");
        _simulator.Invoices.Should().BeEmpty();
    }

    [Fact]
    public async Task RawRequests_GetQuickBooksFaults_ForTokenRealmQueryAndSyncToken_AndAnOldMinorVersionIsAnsweredAs75()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var token = _simulator.IssueToken();
        using var http = new HttpClient { BaseAddress = _simulator.BaseAddress };
        var api = $"v3/company/{QboHost.Realm}";

        async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null, string? bearer = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            response.Headers.Contains("intuit_tid").Should().BeTrue();
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }

        var query = Uri.EscapeDataString("SELECT * FROM Item");
        var old = await SendAsync(HttpMethod.Get, $"{api}/query?query={query}&minorversion=70", bearer: token.AccessToken);
        var none = await SendAsync(HttpMethod.Get, $"{api}/query?query={query}", bearer: token.AccessToken);
        var anonymous = await SendAsync(HttpMethod.Get, $"{api}/query?query={query}&minorversion=75");
        var otherRealm = await SendAsync(HttpMethod.Get, $"v3/company/1/query?query={query}&minorversion=75", bearer: token.AccessToken);
        var badQuery = await SendAsync(HttpMethod.Get, $"{api}/query?query={Uri.EscapeDataString("SELECT Name FROM Item")}&minorversion=75", bearer: token.AccessToken);
        var stale = await SendAsync(HttpMethod.Post, $"{api}/item?minorversion=75&requestid=r1", $$"""{"Id":"{{mug.Id}}","SyncToken":"7","sparse":true,"QtyOnHand":1}""", token.AccessToken);
        var noLines = await SendAsync(HttpMethod.Post, $"{api}/salesreceipt?minorversion=75&requestid=r2", """{"DocNumber":"X"}""", token.AccessToken);

        old.Status.Should().Be(HttpStatusCode.OK, "since 2025-08-01 a minorversion below 75 is ignored and answered as 75");
        none.Status.Should().Be(HttpStatusCode.OK, "since 2025-08-01 a missing minorversion means 75");
        anonymous.Status.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.Body["fault"]!["error"]![0]!["code"]!.GetValue<string>().Should().Be("3200");
        otherRealm.Status.Should().Be(HttpStatusCode.Forbidden);
        badQuery.Status.Should().Be(HttpStatusCode.BadRequest);
        badQuery.Body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().Should().Be("4000");
        stale.Status.Should().Be(HttpStatusCode.BadRequest);
        stale.Body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().Should().Be("5010");
        stale.Body["Fault"]!["Error"]![0]!["Message"]!.GetValue<string>().Should().Be("Stale Object Error");
        noLines.Body["Fault"]!["Error"]![0]!["element"]!.GetValue<string>().Should().Be("Line");
        _simulator.Items.Single().QtyOnHand.Should().Be(10);
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefreshed_RotatedRefreshTokenPersisted_AndTheOldOneRejectedAfter24Hours()
    {
        var time = QboHost.Clock();
        await using var simulator = new QuickBooksSimulator(time, realmId: QboHost.Realm);
        await simulator.StartAsync();
        simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var authorized = simulator.IssueToken();
        await using var services = QboHost.Build(simulator, time, seedRefreshToken: false);
        var store = services.GetRequiredService<ITokenStore>();
        var connector = services.GetRequiredService<QuickBooksConnector>();

        // The host believes its token is good for a day; the platform expires it after an hour.
        await store.SaveAsync("quickbooks", QboHost.Realm, new OAuthToken(authorized.AccessToken, authorized.RefreshToken, authorized.ExpiresAt.AddDays(1)));
        time.Advance(TimeSpan.FromHours(2));
        (await connector.FindItemBySkuAsync("MUG")).Should().NotBeNull("the 401 made the SDK refresh and retry");

        var afterFirst = await store.GetAsync("quickbooks", QboHost.Realm);
        afterFirst!.RefreshToken.Should().NotBe(authorized.RefreshToken);
        simulator.RefreshCount.Should().Be(1);
        simulator.IsRefreshTokenValid(authorized.RefreshToken!).Should().BeTrue("the new refresh token has not been used yet");

        time.Advance(TimeSpan.FromHours(2));
        (await connector.FindItemBySkuAsync("MUG")).Should().NotBeNull("the SDK saw its token expire and refreshed first");

        var afterSecond = await store.GetAsync("quickbooks", QboHost.Realm);
        afterSecond!.RefreshToken.Should().NotBe(afterFirst.RefreshToken);
        simulator.RefreshCount.Should().Be(2);
        simulator.IsRefreshTokenValid(authorized.RefreshToken!).Should().BeTrue("a previous refresh token works for 24 hours after its successor was issued");
        simulator.IsRefreshTokenValid(afterFirst.RefreshToken!).Should().BeTrue();

        // Intuit: previous refresh tokens expire 24 hours after a new one was received.
        time.Advance(QuickBooksSimulator.PreviousRefreshTokenLifetime - TimeSpan.FromHours(2));
        simulator.IsRefreshTokenValid(authorized.RefreshToken!).Should().BeFalse("24 hours have passed since it was rotated");
        simulator.IsRefreshTokenValid(afterFirst.RefreshToken!).Should().BeTrue("it was rotated only 22 hours ago");
        using var http = new HttpClient();
        using var refused = await http.SendAsync(TokenRequest(simulator, authorized.RefreshToken!));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("invalid_grant");
        using var wrongSecret = await http.SendAsync(TokenRequest(simulator, afterSecond.RefreshToken!, secret: "nope"));
        wrongSecret.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Burst_BeyondTheRealmLimit_IsAnswered429_AndAbsorbedByTheBudgets()
    {
        _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        _simulator.SendRetryAfter = true; // unlike QuickBooks, so the absorbed 429s cost a second, not the 60 s default wait
        await using var services = QboHost.Build(_simulator, TimeProvider.System, o =>
        {
            // A host that set its budget far above Intuit's: the simulator's throttle answers, the SDK absorbs it.
            o.RateLimit = new RateLimitOptions { PermitsPerWindow = 1000, Window = TimeSpan.FromSeconds(1) };
            o.AdditionalRateLimits.Clear();
            o.MaxRetryAttempts = 10;
        });
        var connector = services.GetRequiredService<QuickBooksConnector>();

        var found = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => connector.FindItemBySkuAsync("MUG"))));

        found.Should().AllSatisfy(i => i!.Sku.Should().Be("MUG"));
        _simulator.ThrottledCount.Should().BePositive();
    }

    [Fact]
    public async Task Burst_WithTheDefaultBudgets_Succeeds()
    {
        _simulator.AddItem("MUG", "Mug", 10, 12.5m);

        var found = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => Task.Run(() => Connector.FindItemBySkuAsync("MUG"))));

        found.Should().AllSatisfy(i => i!.Sku.Should().Be("MUG"));
        _simulator.ThrottledCount.Should().Be(0, "the default budgets keep to Intuit's limits with room to spare (a 429 would cost a minute)");
        _simulator.RequestCount.Should().Be(25);
    }

    [Fact]
    public async Task Throttle_CountsEachWindowPerRealm_OnTheSimulatorsClock()
    {
        var time = QboHost.Clock();
        await using var simulator = new QuickBooksSimulator(time, realmId: QboHost.Realm) { RequestsPerMinute = 15, SendRetryAfter = true };
        await simulator.StartAsync();
        var token = simulator.IssueToken();
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        async Task<(HttpStatusCode Status, string? RetryAfter)> QueryAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v3/company/{QboHost.Realm}/query?query=SELECT%20*%20FROM%20Item&minorversion=75");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        }

        for (var i = 0; i < 10; i++)
        {
            (await QueryAsync()).Status.Should().Be(HttpStatusCode.OK);
        }

        (await QueryAsync()).Should().Be((HttpStatusCode.TooManyRequests, "1"), "the 11th request in the same second");
        time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            (await QueryAsync()).Status.Should().Be(HttpStatusCode.OK);
        }

        (await QueryAsync()).Should().Be((HttpStatusCode.TooManyRequests, "3"), "the minute bucket is spent: it refills 0.25 per second, a quarter came back during the second");
        simulator.SendRetryAfter = false;
        (await QueryAsync()).Should().Be((HttpStatusCode.TooManyRequests, (string?)null), "like QuickBooks, without Retry-After");
        simulator.ThrottledCount.Should().Be(3);
    }

    [Fact]
    public async Task SaveAndLoad_ASecondProcessFindsTheInvoicesAndTheRequestIdMemory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qbo-simulator-{Guid.NewGuid():N}.json");
        try
        {
            var (customer, mug) = await SeedAsync();
            var write = QboHost.Write("shop:order:42");
            var created = await Connector.CreateInvoice.ExecuteAsync(Order("42", customer.Id!, mug.Id, 1), write);
            await _simulator.SaveAsync(path);

            await using var second = new QuickBooksSimulator(realmId: QboHost.Realm);
            await second.LoadAsync(path);
            await second.StartAsync();
            await using var services = QboHost.Build(second, TimeProvider.System);
            var connector = services.GetRequiredService<QuickBooksConnector>();

            (await connector.FindInvoicesByDocNumberAsync("42")).Should().ContainSingle().Which.Id.Should().Be(created.Id);
            (await connector.CreateInvoice.ExecuteAsync(Order("42", customer.Id!, mug.Id, 1), write)).Id.Should().Be(created.Id);
            second.Invoices.Should().ContainSingle();
            second.ReplayedCount.Should().Be(1);
            second.Items.Single().QtyOnHand.Should().Be(9);
            second.Customers.Should().BeEquivalentTo(_simulator.Customers);
            second.AddCustomer("Next customer").Id.Should().Be("2", "id counters are saved too");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_FileOfAnotherRealm_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qbo-simulator-{Guid.NewGuid():N}.json");
        try
        {
            await _simulator.SaveAsync(path);
            await using var other = new QuickBooksSimulator(realmId: "1");

            var act = () => other.LoadAsync(path);

            (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain(QboHost.Realm);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<(QboCustomer Customer, SimulatedItem Mug)> SeedAsync()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m, incomeAccountId: "79");
        var customer = await Connector.FindOrCreateCustomer.ExecuteAsync(
            new QboCustomerDraft { DisplayName = "Pat O'Brien", Email = "pat@example.com" }, QboHost.Write("shop:customer:pat", "customer"));
        return (customer, mug);
    }

    private static QboInvoiceDraft Order(string number, string customerId, string itemId, int quantity) => new()
    {
        CustomerId = customerId,
        DocNumber = number,
        PrivateNote = "Shop order #" + number,
        Lines = [new QboLineDraft { ItemId = itemId, Qty = quantity, UnitPrice = 12.5m, Description = "Mug" }],
    };

    private static HttpRequestMessage TokenRequest(QuickBooksSimulator simulator, string refreshToken, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, simulator.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(simulator.ClientId + ":" + (secret ?? simulator.ClientSecret))));
        return request;
    }
}
