using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Transport;

public sealed class SecretsTests : IDisposable
{
    private const string ApiKey = "sk_live_SECRETKEY_0123456789";
    private const string AccessToken = "at_SECRET_access_987654";
    private const string RefreshToken = "rt_SECRET_refresh_111111";
    private const string RotatedRefreshToken = "rt_SECRET_refresh_222222";
    private const string ClientSecret = "cs_SECRET_client_333333";

    private static readonly string[] Secrets = [ApiKey, AccessToken, RefreshToken, RotatedRefreshToken, ClientSecret];
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task ApiKeyInPayloadsExceptionsAndResponses_NeverAppearsInLogsReportsOrDeadLetters()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401)
                .WithBody($"{{\"message\":\"key {ApiKey} is revoked\",\"access_token\":\"{AccessToken}\"}}"));
        var time = TestHost.Clock();
        await using var sp = TestHost.Build(_server.Url!, time, o => o.Auth = new ApiKeyAuth("X-Api-Key", ApiKey), integrations: i => i
            // The registered key sits in a string property of each record, and in the message of a step's exception.
            .AddSync<Customer>("secret-sync", s => s.FromEvents().Key(c => $"c:{c.Id}").WithStepRetries(1, TimeSpan.Zero)
                .Step("call", WriteSafety.ReadOnly, async (c, ctx, ct) => c.Id == "thrower"
                    ? throw new InvalidOperationException($"the platform refused the note '{c.Note}'")
                    : await ctx.Get<IFakeApi>().ListItemsAsync(cancellationToken: ct)))
            // A record that cannot be serialized: its dead letter falls back to the record's ToString.
            .AddSync<Unserializable>("secret-fallback", s => s.FromEvents().Key(c => $"u:{c.Id}").WithStepRetries(1, TimeSpan.Zero)
                .Step<int>("call", WriteSafety.ReadOnly, (c, _, _) => throw new InvalidOperationException($"refused {c.Note}"))));

        var error = await FluentActions.Awaiting(() => sp.GetRequiredService<IFakeApi>().ListItemsAsync()).Should().ThrowAsync<PlatformException>();
        var runner = sp.GetRequiredService<ISyncRunner>();
        var report = await runner.ProcessAsync("secret-sync", [new Customer("api", $"key {ApiKey}"), new Customer("thrower", ApiKey)]);
        var fallback = await runner.ProcessAsync("secret-fallback", [new Unserializable("1", ApiKey, typeof(int))]);
        var deadLetters = await sp.GetRequiredService<IDeadLetterStore>().ListAsync();

        _server.LogEntries.First().RequestMessage!.Headers!["X-Api-Key"].Single().Should().Be(ApiKey, "the key is sent to the platform");
        error.Which.Message.Should().Contain("is revoked");
        report.Summary.DeadLettered.Should().Be(2);
        fallback.Summary.DeadLettered.Should().Be(1);
        deadLetters.Should().HaveCount(3);
        deadLetters.Single(d => d.RecordKey == "c:thrower").Reason.Should().Contain("the platform refused the note '***'");
        deadLetters.Single(d => d.RecordKey == "c:api").Payload.Should().Contain("api").And.Contain("key ***", "the payload keeps its other fields");
        deadLetters.Single(d => d.RecordKey == "u:1").Payload.Should().Contain("could not be serialized");
        AssertNoSecret(error.Which.ToString());
        AssertNoSecret(string.Join("\n", deadLetters.Select(d => d.Reason + d.Payload)));
        AssertNoSecret(report.ToString() + fallback.ToString());
        AssertNoSecret(string.Join("\n", report.Records.Concat(fallback.Records).Select(r => r.Reason)));
        AssertNoSecretInLogs(sp.GetFakeLogCollector());
    }

    private sealed record Customer(string Id, string Note);

    /// <summary>System.Text.Json refuses a <see cref="Type"/> property, so the payload falls back to ToString.</summary>
    private sealed record Unserializable(string Id, string Note, Type Kind);

    [Fact]
    public async Task OAuthTokensAndClientSecret_NeverAppearInLogsOrExceptions()
    {
        OAuthPlatform.Serve(_server, AccessToken, RotatedRefreshToken);
        _server.Given(Request.Create().WithPath("/items").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody($"{{\"message\":\"bad request from Bearer {AccessToken}\"}}"));
        var time = TestHost.Clock();
        await using var sp = TestHost.Build(_server.Url!, time, o =>
        {
            o.Auth = new OAuth2Auth { TokenEndpoint = new Uri(_server.Url + "/oauth/token"), ClientId = "id", ClientSecret = ClientSecret, InitialRefreshToken = RefreshToken };
        });
        var api = sp.GetRequiredService<IFakeApi>();

        await api.ListItemsAsync("acme");
        var error = await FluentActions.Awaiting(() => api.CreateItemAsync(new FakeItem("1", "a"))).Should().ThrowAsync<PlatformException>();
        var token = await sp.GetRequiredService<ITokenStore>().GetAsync("fake", "acme");

        token!.RefreshToken.Should().Be(RotatedRefreshToken);
        token.ToString().Should().NotContain(AccessToken).And.NotContain(RotatedRefreshToken);
        AssertNoSecret(error.Which.ToString());
        AssertNoSecretInLogs(sp.GetFakeLogCollector());
        sp.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Id == 1004, "the refresh itself is logged, without the token");
    }

    private static void AssertNoSecretInLogs(FakeLogCollector logs)
    {
        var records = logs.GetSnapshot();
        records.Should().NotBeEmpty("the run logs at Trace level");
        foreach (var record in records)
        {
            AssertNoSecret(record.Message);
            AssertNoSecret(record.Exception?.ToString());
            foreach (var pair in record.StructuredState ?? [])
            {
                AssertNoSecret(pair.Value);
            }
        }
    }

    private static void AssertNoSecret(string? text)
    {
        foreach (var secret in Secrets)
        {
            (text ?? string.Empty).Should().NotContain(secret);
        }
    }
}
