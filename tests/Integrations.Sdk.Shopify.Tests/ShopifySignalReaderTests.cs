using System.Net;
using System.Text;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.Time.Testing;
using static Integrations.Sdk.Shopify.Tests.Support.GraphQlJson;

namespace Integrations.Sdk.Shopify.Tests;

public sealed class ShopifySignalReaderTests
{
    private readonly FakeTimeProvider _time = Support.ShopifyTestHost.Clock();
    private readonly ShopifySignalReader _reader = new();

    private RateLimitBudget Budget(int perSecond = 10) =>
        new("shopify", "default", new RateLimitOptions { PermitsPerWindow = perSecond, Window = TimeSpan.FromSeconds(1) }, _time);

    private static HttpResponseMessage Ok(string body) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { { "X-Request-Id", "req-9" } },
    };

    [Fact]
    public async Task Success_WithPlentyOfPoints_LeavesTheBudgetAndTheBodyReadable()
    {
        using var budget = Budget();
        using var response = Ok(Data("""{"shop":{"name":"Acme"}}""", Cost(requested: 100, actual: 40, available: 960)));

        var error = await _reader.InspectSuccessAsync(response, budget, default);

        error.Should().BeNull();
        budget.Available.Should().Be(9.6, "960 points left is 9.6 more queries of 100 points; the budget of 10 keeps the smaller");
        (await response.Content.ReadAsStringAsync()).Should().Contain("Acme", "the body stays readable for Refit");
    }

    [Fact]
    public async Task Success_WithTooFewPointsForAnotherQuery_PausesTheBudgetUntilTheyAreRestored()
    {
        using var budget = Budget();
        using var response = Ok(Data("""{"shop":null}""", Cost(requested: 500, actual: 500, available: 300, restore: 100)));

        await _reader.InspectSuccessAsync(response, budget, default);

        budget.Available.Should().Be(0);
        var next = budget.AcquireAsync().AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        next.IsCompleted.Should().BeFalse("200 missing points at 100 per second take 2 seconds");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await next).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task Throttled_ReturnsA429LikeRetryableErrorWaitingForTheMissingPoints()
    {
        using var budget = Budget();
        using var response = Ok(Throttled(requested: 250, available: 50, restore: 50));

        var error = await _reader.InspectSuccessAsync(response, budget, default);

        error.Should().NotBeNull();
        error!.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        error.ErrorCode.Should().Be("THROTTLED");
        error.IsRetryable.Should().BeTrue();
        error.MayHaveBeenApplied.Should().BeFalse();
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(4));
        error.RequestId.Should().Be("req-9");
        budget.Available.Should().Be(0);
    }

    [Fact]
    public async Task Throttled_ByMessageOnly_IsRecognisedToo()
    {
        using var budget = Budget();
        using var response = Ok("""{"errors":[{"message":"Throttled"}]}""");

        var error = await _reader.InspectSuccessAsync(response, budget, default);

        error!.ErrorCode.Should().Be("THROTTLED");
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(1), "without cost data the reader waits a second");
    }

    [Fact]
    public async Task OtherGraphQlError_IsNotRetryable()
    {
        using var budget = Budget();
        using var response = Ok("""{"errors":[{"message":"Field 'nope' doesn't exist on type 'QueryRoot'","extensions":{"code":"undefinedField"}}]}""");

        var error = await _reader.InspectSuccessAsync(response, budget, default);

        error!.ErrorCode.Should().Be("undefinedField");
        error.PlatformMessage.Should().Be("Field 'nope' doesn't exist on type 'QueryRoot'");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
    }

    [Fact]
    public async Task ErrorWithPartialData_MayHaveBeenApplied()
    {
        using var budget = Budget();
        using var response = Ok("""{"data":{"inventoryAdjustQuantities":{"userErrors":[]}},"errors":[{"message":"something failed later"}]}""");

        var error = await _reader.InspectSuccessAsync(response, budget, default);

        error!.MayHaveBeenApplied.Should().BeTrue();
    }

    [Fact]
    public async Task NotJson_IsLeftToRefit()
    {
        using var budget = Budget();
        using var response = Ok("<html>oops</html>");

        (await _reader.InspectSuccessAsync(response, budget, default)).Should().BeNull();
    }

    [Theory]
    [InlineData("""{"errors":"[API] Invalid API key or access token"}""", null, "[API] Invalid API key or access token")]
    [InlineData("""{"errors":[{"message":"Internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""", "INTERNAL_SERVER_ERROR", "Internal error")]
    [InlineData("""{"errors":{"query":["is required"]}}""", null, "query: is required")]
    public void ReadError_ReadsShopifysErrorShapes(string body, string? code, string message)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);

        _reader.ReadError(response, body).Should().Be(new PlatformError(code, message));
    }
}
