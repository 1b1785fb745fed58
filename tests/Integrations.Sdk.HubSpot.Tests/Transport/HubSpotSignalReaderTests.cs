using System.Net;
using System.Text;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Transport;

public sealed class HubSpotSignalReaderTests
{
    private readonly HubSpotSignalReader _reader = new();

    [Fact]
    public async Task RemainingHeaders_FeedTheBudget_AndAnEmptyBucketPausesForTheInterval()
    {
        var time = new FakeTimeProvider();
        using var budget = new RateLimitBudget("hubspot", "default", new RateLimitOptions { PermitsPerWindow = 190, Window = TimeSpan.FromSeconds(10) }, time);
        using var response = Response(HttpStatusCode.OK, ("X-HubSpot-RateLimit-Max", "190"), ("X-HubSpot-RateLimit-Remaining", "12"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"));

        _reader.ObserveBudget(response, budget);
        budget.Available.Should().BeApproximately(12, 0.001);

        using var spent = Response(HttpStatusCode.OK, ("X-HubSpot-RateLimit-Remaining", "0"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"));
        _reader.ObserveBudget(spent, budget);
        budget.Available.Should().Be(0);
        var lease = budget.AcquireAsync().AsTask();
        lease.IsCompleted.Should().BeFalse("the budget waits out the interval");
        time.Advance(TimeSpan.FromSeconds(10));
        (await lease).Dispose();
    }

    [Fact]
    public void RetryAfter_IsTheHeader_ElseTheIntervalAfterA429_ElseTenSeconds()
    {
        var now = DateTimeOffset.UnixEpoch;
        using var withHeader = Response(HttpStatusCode.TooManyRequests, ("Retry-After", "2"));
        using var withInterval = Response(HttpStatusCode.TooManyRequests, ("X-HubSpot-RateLimit-Interval-Milliseconds", "1000"));
        using var bare = Response(HttpStatusCode.TooManyRequests);
        using var ok = Response(HttpStatusCode.OK);

        _reader.ReadRetryAfter(withHeader, now).Should().Be(TimeSpan.FromSeconds(2));
        _reader.ReadRetryAfter(withInterval, now).Should().Be(TimeSpan.FromSeconds(1));
        _reader.ReadRetryAfter(bare, now).Should().Be(TimeSpan.FromSeconds(10));
        _reader.ReadRetryAfter(ok, now).Should().BeNull();
    }

    [Fact]
    public void ReadError_NotHubSpotJson_FallsBackToTheDefaultReader()
    {
        using var response = Response(HttpStatusCode.BadGateway);

        var error = _reader.ReadError(response, "<html>bad gateway</html>");

        error.Code.Should().BeNull();
        _reader.ReadRequestId(response).Should().BeNull();
    }

    [Fact]
    public void ReadError_KeepsTheBodysCorrelationIdForTheRequestId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.hubapi.com/crm/v3/objects/deals/1");
        using var response = Response(HttpStatusCode.NotFound);
        response.RequestMessage = request;

        var error = _reader.ReadError(response, """{"status":"error","message":"Object not found.","correlationId":"c-42","category":"OBJECT_NOT_FOUND"}""");

        error.Should().Be(new PlatformError("OBJECT_NOT_FOUND", "Object not found.", RequestId: "c-42"));
    }

    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(string.Empty, Encoding.UTF8) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
