using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.QuickBooks.Tests.Simulator;

/// <summary>
/// Intuit's concurrent-request limit (more than 10 requests in flight for one realm is answered 429, with no
/// Retry-After) against the simulator, and the connector's answer to it: at most 10 in flight, a 60 s wait otherwise.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Simulator_ARequestArrivingWhileTenAreInFlight_Is429ThrottleExceeded_WithoutRetryAfter()
    {
        await using var simulator = new QuickBooksSimulator(realmId: QboHost.Realm) { RequestsPerSecond = 0, RequestsPerMinute = 0 };
        await simulator.StartAsync();
        var token = simulator.IssueToken().AccessToken;
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        List<Task<HttpResponseMessage>> held;
        HttpResponseMessage eleventh;
        using (simulator.HoldRequests())
        {
            held = [.. Enumerable.Range(0, 10).Select(_ => http.SendAsync(Query(token)))];
            await QboHost.Until(() => simulator.InFlightCount == 10, "ten requests in flight");
            eleventh = await http.SendAsync(Query(token));
        }

        using (eleventh)
        {
            eleventh.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            eleventh.Headers.RetryAfter.Should().BeNull("QuickBooks says nothing about when to come back");
            var body = await eleventh.Content.ReadAsStringAsync();
            body.Should().Contain("ThrottleExceeded").And.Contain("\"code\":\"3001\"").And.Contain("More than 10 requests are in flight");
        }

        foreach (var response in await Task.WhenAll(held))
        {
            using (response)
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, "the ten admitted requests are served once released");
            }
        }

        simulator.ThrottledCount.Should().Be(1);
        simulator.PeakInFlightCount.Should().Be(10);
        simulator.InFlightCount.Should().Be(0);
        using var afterwards = await http.SendAsync(Query(token));
        afterwards.StatusCode.Should().Be(HttpStatusCode.OK, "a slot is free again");
    }

    [Fact]
    public async Task Connector_64ConcurrentInvoiceWrites_KeepAtMostTenInFlight_AndCreateEachInvoiceOnce()
    {
        // Only the in-flight limit is on: requests overlap for 20 ms each, so a client sending more than 10 at once is refused.
        await using var simulator = new QuickBooksSimulator(realmId: QboHost.Realm)
        {
            RequestsPerSecond = 0,
            RequestsPerMinute = 0,
            ProcessingTime = TimeSpan.FromMilliseconds(20),
        };
        await simulator.StartAsync();
        var mug = simulator.AddItem("MUG", "Mug", 1000, 12.5m);
        var customer = simulator.AddCustomer("Pat O'Brien", "pat@example.com");
        await using var services = QboHost.Build(simulator, TimeProvider.System, o =>
        {
            // The per-second and per-minute budgets out of the way: what is left is the connector's limit of 10 in flight.
            o.RateLimit.PermitsPerWindow = 100_000;
            o.AdditionalRateLimits.Clear();
        });
        var connector = services.GetRequiredService<QuickBooksConnector>();

        var invoices = await Task.WhenAll(Enumerable.Range(1, 64).Select(i => Task.Run(() =>
        {
            var number = (5000 + i).ToString(CultureInfo.InvariantCulture);
            var draft = new QboInvoiceDraft { CustomerId = customer.Id, DocNumber = number, Lines = [new QboLineDraft { ItemId = mug.Id, Qty = 1, UnitPrice = 12.5m }] };
            return connector.CreateInvoice.ExecuteAsync(draft, QboHost.Write("shop:order:" + number));
        })));

        simulator.ThrottledCount.Should().Be(0, "the connector never has more than 10 requests in flight for the realm");
        simulator.PeakInFlightCount.Should().BeInRange(2, 10, "requests did overlap, and never beyond the limit");
        invoices.Select(i => i.DocNumber).Should().OnlyHaveUniqueItems().And.HaveCount(64);
        simulator.Invoices.Should().HaveCount(64);
        simulator.DuplicateInvoices.Should().BeEmpty();
        simulator.Items.Single().QtyOnHand.Should().Be(1000 - 64);
    }

    [Fact]
    public async Task Connector_429WithoutRetryAfter_WaitsSixtySecondsOnItsClock_ThenSucceeds()
    {
        var time = QboHost.Clock();
        await using var simulator = new QuickBooksSimulator(time, realmId: QboHost.Realm) { RequestsPerSecond = 0, RequestsPerMinute = 0 };
        await simulator.StartAsync();
        simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var token = simulator.IssueToken().AccessToken;
        await using var services = QboHost.Build(simulator, time);
        var connector = services.GetRequiredService<QuickBooksConnector>();
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        Task<QboItem?> find;
        List<Task<HttpResponseMessage>> others;
        using (simulator.HoldRequests())
        {
            // Another client of the same app holds the realm's 10 slots: the connector's request is the 11th.
            others = [.. Enumerable.Range(0, 10).Select(_ => http.SendAsync(Query(token)))];
            await QboHost.Until(() => simulator.InFlightCount == 10, "ten requests in flight");
            find = connector.FindItemBySkuAsync("MUG");
            await QboHost.Until(() => simulator.ThrottledCount == 1, "the connector's request refused");
        }

        foreach (var response in await Task.WhenAll(others))
        {
            response.Dispose();
        }

        var waited = TimeSpan.Zero;
        for (; waited < TimeSpan.FromSeconds(59); waited += TimeSpan.FromSeconds(1))
        {
            await Task.Delay(10); // lets the connector reach its wait; the wait itself is on the fake clock
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await Task.Delay(50);
        find.IsCompleted.Should().BeFalse("without Retry-After the connector waits Intuit's advised 60 s");
        simulator.RequestCount.Should().Be(11, "no retry before the wait is over");

        while (!find.IsCompleted && waited < TimeSpan.FromSeconds(70))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
            await Task.WhenAny(find, Task.Delay(50));
        }

        (await find).Should().NotBeNull();
        waited.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(60));
        simulator.ThrottledCount.Should().Be(1);
    }

    private static HttpRequestMessage Query(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v3/company/{QboHost.Realm}/query?query=SELECT%20*%20FROM%20Item&minorversion=75");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }
}
