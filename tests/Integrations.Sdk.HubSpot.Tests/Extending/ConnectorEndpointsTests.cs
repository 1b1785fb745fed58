using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Extending;

/// <summary>
/// An application's own endpoint added to the HubSpot connector (<c>AddConnectorEndpoints</c>), against the simulator:
/// it goes out with the connector's base address and token, draws on the connector's budget, is checked against
/// HubSpot's spec like the connector's own requests, and a connector name nobody registered stops the host's start.
/// </summary>
public sealed class ConnectorEndpointsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private readonly HubSpotSimulator _simulator;

    public ConnectorEndpointsTests() => _simulator = new HubSpotSimulator(_time);

    public Task InitializeAsync() => _simulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task OwnEndpoint_GoesOutWithTheConnectorsAddressAndToken_AndTheSpecCheckerSeesIt()
    {
        var pat = _simulator.AddContact("pat@example.com", new Dictionary<string, string?> { ["hubspot_owner_id"] = "77" });
        await using var services = Build();
        var before = _simulator.ConformanceRecorder.Counts;

        var contact = await services.GetRequiredService<IContactReadsApi>().GetContactAsync(pat.Id, "email,hubspot_owner_id");

        contact.Id.Should().Be(pat.Id);
        contact.Email.Should().Be("pat@example.com");
        contact.Property("hubspot_owner_id").Should().Be("77");
        var after = _simulator.ConformanceRecorder.Counts;
        after.Requests.Should().Be(before.Requests + 1, "the simulator checked the request against HubSpot's spec");
        after.Violations.Should().Be(0);

        // The same read without the connector's pipeline has no token, and HubSpot refuses it.
        using var bare = new HttpClient { BaseAddress = _simulator.BaseAddress };
        bare.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        (await bare.GetAsync(new Uri($"crm/v3/objects/contacts/{pat.Id}?properties=email", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OwnEndpoint_DrawsOnTheConnectorsBudget()
    {
        var pat = _simulator.AddContact("pat@example.com");
        await using var services = Build(o => o.RateLimit = new RateLimitOptions { PermitsPerWindow = 2, Window = TimeSpan.FromSeconds(10) });
        using var waits = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), IntegrationsTelemetry.Name, "integrations.ratelimit.waits");
        var api = services.GetRequiredService<IContactReadsApi>();
        var connector = services.GetRequiredService<HubSpotConnector>();

        await api.GetContactAsync(pat.Id, "email");
        await api.GetContactAsync(pat.Id, "email");   // the budget of 2 is spent, by the application's endpoint only
        var lookup = connector.FindContactByEmailAsync("pat@example.com");

        await HubSpotHost.Until(() => waits.GetMeasurementSnapshot().Any(m => m.Tags["integrations.connector"] as string == HubSpotConnector.ConnectorName), "the connector's lookup to wait for the budget");
        lookup.IsCompleted.Should().BeFalse("the connector's own request waits for the budget the endpoint spent");
        _simulator.RequestCount.Should().Be(2);

        _time.Advance(TimeSpan.FromSeconds(5));
        (await lookup)!.Id.Should().Be(pat.Id);
        _simulator.RequestCount.Should().Be(3);
    }

    [Fact]
    public async Task OwnEndpoint_ForAnotherAccount_UsesThatAccountsBudget()
    {
        var pat = _simulator.AddContact("pat@example.com");
        await using var services = Build(o => o.RateLimit = new RateLimitOptions { PermitsPerWindow = 1, Window = TimeSpan.FromSeconds(10) });
        var api = services.GetRequiredService<IContactReadsApi>();

        await api.GetContactAsync(pat.Id, "email");
        // The default account's budget is spent, not this one's; on a shared budget the read would wait for a clock that
        // does not move, until this real-time bound cancels it.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var other = await api.GetContactForAccountAsync(pat.Id, "email", "portal-2", bound.Token);

        other.Id.Should().Be(pat.Id);
    }

    [Fact]
    public async Task UnknownConnectorName_FailsTheHostsStart_NamingTheRegisteredOnes()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddIntegrations(i => i
            .AddHubSpot(o =>
            {
                o.AccessToken = _simulator.AccessToken;
                o.BaseAddress = _simulator.BaseAddress;
            })
            .AddConnectorEndpoints<IContactReadsApi>("hubspt"));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("AddConnectorEndpoints<IContactReadsApi>").And.Contain("'hubspt'").And.Contain("'hubspot'");
    }

    [Fact]
    public async Task SameInterfaceTwice_IsRefusedAtRegistration()
    {
        var services = new ServiceCollection();
        var integrations = services.AddIntegrations();
        integrations.AddConnectorEndpoints<IContactReadsApi>(HubSpotConnector.ConnectorName);

        var again = () => integrations.AddConnectorEndpoints<IContactReadsApi>(HubSpotConnector.ConnectorName);

        again.Should().Throw<InvalidOperationException>().WithMessage("*IContactReadsApi*hubspot*twice*");
        await Task.CompletedTask;
    }

    private ServiceProvider Build(Action<ConnectorHttpOptions>? tune = null) =>
        IntegrationsTestHost.Build(
            _time,
            i => i.AddHubSpot(o =>
            {
                o.AccessToken = _simulator.AccessToken;
                o.BaseAddress = _simulator.BaseAddress;
            }),
            services => services.RetryWithoutDelay(HubSpotConnector.ConnectorName, tune),
            i => i.AddConnectorEndpoints<IContactReadsApi>(HubSpotConnector.ConnectorName));
}
