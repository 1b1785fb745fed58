using Integrations.Sdk.State;

namespace Integrations.Sdk.Tests.State;

/// <summary>The behaviour every <see cref="ITokenStore"/> must have.</summary>
public abstract class TokenStoreContractTests
{
    /// <summary>Creates an empty store for one test.</summary>
    protected abstract ITokenStore CreateStore();

    /// <summary>Asserts that two tokens carry the same values, the expiry including its offset.</summary>
    public static void ShouldMatchExactly(OAuthToken? actual, OAuthToken expected)
    {
        actual.Should().NotBeNull();
        actual!.AccessToken.Should().Be(expected.AccessToken);
        actual.RefreshToken.Should().Be(expected.RefreshToken);
        actual.ExpiresAt.Should().BeExactly(expected.ExpiresAt);
    }

    [SkippableFact]
    public async Task GetAsync_of_an_unknown_account_is_null()
    {
        var store = CreateStore();

        (await store.GetAsync("quickbooks", "realm-1")).Should().BeNull();
    }

    [SkippableFact]
    public async Task SaveAsync_round_trips_every_field()
    {
        var store = CreateStore();
        var token = new OAuthToken("eyJhbGciOi.access.Zoë", "AB11-refresh-token", StateTestData.Origin);

        await store.SaveAsync("quickbooks", "realm-1", token);

        ShouldMatchExactly(await store.GetAsync("quickbooks", "realm-1"), token);
    }

    [SkippableFact]
    public async Task SaveAsync_round_trips_a_missing_refresh_token()
    {
        var store = CreateStore();
        var token = new OAuthToken("access", refreshToken: null, DateTimeOffset.MaxValue);

        await store.SaveAsync("shopify", "shop.myshopify.com", token);

        var stored = await store.GetAsync("shopify", "shop.myshopify.com");
        ShouldMatchExactly(stored, token);
        stored!.RefreshToken.Should().BeNull();
    }

    [SkippableFact]
    public async Task SaveAsync_replaces_the_previous_token()
    {
        var store = CreateStore();
        await store.SaveAsync("xero", "tenant-1", new OAuthToken("access-a", "refresh-a", StateTestData.Origin));
        var rotated = new OAuthToken("access-b", "refresh-b", StateTestData.Origin.AddMinutes(30));

        await store.SaveAsync("xero", "tenant-1", rotated);

        ShouldMatchExactly(await store.GetAsync("xero", "tenant-1"), rotated);
    }

    [SkippableFact]
    public async Task Tokens_are_kept_per_connector_and_account()
    {
        var store = CreateStore();
        var qb1 = new OAuthToken("qb-1", "r-qb-1", StateTestData.Origin);
        var qb2 = new OAuthToken("qb-2", "r-qb-2", StateTestData.Origin);
        var xero1 = new OAuthToken("xero-1", "r-xero-1", StateTestData.Origin);

        await store.SaveAsync("quickbooks", "1", qb1);
        await store.SaveAsync("quickbooks", "2", qb2);
        await store.SaveAsync("xero", "1", xero1);

        ShouldMatchExactly(await store.GetAsync("quickbooks", "1"), qb1);
        ShouldMatchExactly(await store.GetAsync("quickbooks", "2"), qb2);
        ShouldMatchExactly(await store.GetAsync("xero", "1"), xero1);
        (await store.GetAsync("xero", "2")).Should().BeNull();
        (await store.GetAsync("QuickBooks", "1")).Should().BeNull();
    }

    [SkippableFact]
    public async Task Concurrent_saves_are_all_kept()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => store.SaveAsync("quickbooks", $"realm-{i}", new OAuthToken($"access-{i}", $"refresh-{i}", StateTestData.Origin.AddSeconds(i))));

        for (var i = 0; i < StateTestData.ConcurrentCalls; i++)
        {
            ShouldMatchExactly(
                await store.GetAsync("quickbooks", $"realm-{i}"),
                new OAuthToken($"access-{i}", $"refresh-{i}", StateTestData.Origin.AddSeconds(i)));
        }
    }

    [SkippableFact]
    public async Task A_cancelled_save_throws_and_stores_nothing()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.SaveAsync("xero", "tenant-1", new OAuthToken("a", "r", StateTestData.Origin), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetAsync("xero", "tenant-1")).Should().BeNull();
    }

    [SkippableFact]
    public async Task Null_arguments_are_rejected()
    {
        var store = CreateStore();
        var token = new OAuthToken("a", "r", StateTestData.Origin);

        await FluentActions.Awaiting(async () => await store.GetAsync(null!, "1"))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("connector");
        await FluentActions.Awaiting(async () => await store.GetAsync("xero", null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("account");
        await FluentActions.Awaiting(async () => await store.SaveAsync(null!, "1", token))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("connector");
        await FluentActions.Awaiting(async () => await store.SaveAsync("xero", null!, token))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("account");
        await FluentActions.Awaiting(async () => await store.SaveAsync("xero", "1", null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("token");
    }
}
