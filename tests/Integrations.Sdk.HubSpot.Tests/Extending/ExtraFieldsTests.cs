using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Extending;

/// <summary>Extra properties on the contact lookup, against the simulator, which returns only the properties asked for, as HubSpot does.</summary>
public sealed class ExtraFieldsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private readonly HubSpotSimulator _simulator;
    private ServiceProvider _services = null!;

    public ExtraFieldsTests() => _simulator = new HubSpotSimulator(_time);

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = HubSpotHost.Build(_simulator, _time);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private HubSpotConnector Connector => _services.GetRequiredService<HubSpotConnector>();

    [Fact]
    public async Task FindContactByEmail_WithTheOwnerAsExtraField_ReadsTheOwnerId()
    {
        _simulator.AddContact("pat@example.com", new Dictionary<string, string?> { ["hubspot_owner_id"] = "77", ["favourite_colour"] = "teal" });

        var plain = await Connector.FindContactByEmailAsync("pat@example.com");
        var withOwner = await Connector.FindContactByEmailAsync("pat@example.com", ["hubspot_owner_id", " favourite_colour ", "no_such_property"]);

        plain!.Property("hubspot_owner_id").Should().BeNull("HubSpot returns only the properties a search asks for");
        withOwner!.Property("hubspot_owner_id").Should().Be("77");
        withOwner.Property("favourite_colour").Should().Be("teal");
        withOwner.Property("no_such_property").Should().BeNull("HubSpot leaves out a property the portal does not have");
        withOwner.Email.Should().Be("pat@example.com");
    }

    [Fact]
    public async Task Deals_WithExtraDealPropertiesInTheOptions_ReadThemOnEveryDealRead()
    {
        var deal = _simulator.AddDeal("Big one", "closedwon", 1000, new Dictionary<string, string?> { ["deal_source"] = "webinar" });
        await using var services = HubSpotHost.Build(_time, o =>
        {
            o.AccessToken = _simulator.AccessToken;
            o.BaseAddress = _simulator.BaseAddress;
            o.ExtraDealProperties = ["deal_source"];
        });
        var connector = services.GetRequiredService<HubSpotConnector>();

        var read = new List<Models.HubSpotDeal>();
        await foreach (var record in connector.Deals.ReadAsync(null))
        {
            read.Add(record.Value);
        }

        read.Should().ContainSingle().Which.Property("deal_source").Should().Be("webinar");
        (await connector.GetDealAsync(deal.Id))!.Property("deal_source").Should().Be("webinar");
        (await Connector.GetDealAsync(deal.Id))!.Property("deal_source").Should().BeNull("without the option the property is not asked for");
    }

    [Theory]
    [InlineData("")]
    [InlineData("hubspot_owner_id,email")]
    [InlineData("owner id")]
    public async Task FindContactByEmail_ABadPropertyName_IsRefusedNamingIt(string name)
    {
        var act = () => Connector.FindContactByEmailAsync("pat@example.com", [name]);

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.ParamName.Should().Be("extraFields");
        _simulator.RequestCount.Should().Be(0);
    }
}
