using System.Net;
using System.Net.Http.Headers;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.QuickBooks.Tests.Simulator;

/// <summary>The fault injector's latency and hangs run on the simulator's clock: a fake clock ends them, wall time does not.</summary>
public sealed class FaultClockTests
{
    [Fact]
    public async Task LatencyFault_AnswersOnceTheSimulatorsClockHasMovedByTheLatency_AndNotBefore()
    {
        var time = QboHost.Clock();
        await using var simulator = new QuickBooksSimulator(time, realmId: QboHost.Realm) { RequestsPerSecond = 0, RequestsPerMinute = 0 };
        await simulator.StartAsync();
        simulator.Faults.Latency = TimeSpan.FromSeconds(30);
        simulator.Faults.Add("query", FaultKind.Latency);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        var sent = http.SendAsync(Query(simulator.IssueToken().AccessToken));
        await QboHost.Until(() => simulator.Faults.InjectedTotal == 1, "the latency fault injected");
        await AdvanceAsync(time, TimeSpan.FromSeconds(29));

        (await Task.WhenAny(sent, Task.Delay(200))).Should().NotBe(sent, "29 of the 30 seconds have passed on the simulator's clock");
        using var response = await UntilCompletedAsync(time, sent, TimeSpan.FromSeconds(10));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TimeoutFault_DropsTheConnectionOnceTheSimulatorsClockHasMovedByTheHang_AndNotBefore()
    {
        var time = QboHost.Clock();
        await using var simulator = new QuickBooksSimulator(time, realmId: QboHost.Realm) { RequestsPerSecond = 0, RequestsPerMinute = 0 };
        await simulator.StartAsync();
        simulator.Faults.Hang = TimeSpan.FromMinutes(10);
        simulator.Faults.Add("query", FaultKind.Timeout);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        var sent = http.SendAsync(Query(simulator.IssueToken().AccessToken));
        await QboHost.Until(() => simulator.Faults.InjectedTotal == 1, "the timeout fault injected");
        await AdvanceAsync(time, TimeSpan.FromMinutes(9));

        (await Task.WhenAny(sent, Task.Delay(200))).Should().NotBe(sent, "9 of the 10 minutes have passed on the simulator's clock");
        var dropped = async () => await UntilCompletedAsync(time, sent, TimeSpan.FromMinutes(2));
        await dropped.Should().ThrowAsync<HttpRequestException>("the simulator drops the connection once the hang is over");
    }

    /// <summary>Moves the clock in steps, yielding between them so the server reaches its timer first.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan by)
    {
        var step = by / 30;
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            await Task.Delay(5);
            time.Advance(step);
        }
    }

    /// <summary>Moves the clock in steps until <paramref name="task"/> completes, at most by <paramref name="limit"/>.</summary>
    private static async Task<T> UntilCompletedAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan limit)
    {
        var step = limit / 20;
        for (var moved = TimeSpan.Zero; !task.IsCompleted && moved < limit; moved += step)
        {
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(50));
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static HttpRequestMessage Query(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v3/company/{QboHost.Realm}/query?query=SELECT%20*%20FROM%20Item&minorversion=75");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }
}
