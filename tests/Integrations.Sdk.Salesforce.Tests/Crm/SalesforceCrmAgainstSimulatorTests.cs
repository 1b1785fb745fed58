using System.Security.Cryptography;
using Integrations.Sdk.Crm;
using Integrations.Sdk.Testing.Crm;
using Integrations.Sdk.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Salesforce.Tests.Crm;

/// <summary>
/// The connector as an <see cref="ICrmConnector"/> against the Salesforce simulator (written apart from it, from
/// Salesforce's documentation): the JWT bearer sign-in, the deals feed, outcomes from the stage metadata and contact roles.
/// </summary>
public sealed class SalesforceCrmAgainstSimulatorTests : IAsyncLifetime
{
    private readonly SalesforceSimulator _simulator = new(seed: 5);
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _simulator.Username = "integration@acme.example";
        _simulator.JwtPublicKeyPem = SalesforceHost.Key.ExportSubjectPublicKeyInfoPem();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddSalesforce(o =>
        {
            o.Flow = SalesforceAuthFlow.JwtBearer;
            o.LoginUrl = _simulator.BaseAddress;
            o.ClientId = _simulator.ClientId;
            o.Username = _simulator.Username;
            o.PrivateKeyPem = SalesforceHost.PrivateKeyPem;
        });
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private ICrmConnector Crm => _services.GetRequiredKeyedService<ICrmConnector>(SalesforceConnector.ConnectorName);

    [Fact]
    public async Task JwtBearer_Deals_Outcomes_AndContactRoles_AgreeWithTheSimulatedOrg()
    {
        var open = _simulator.AddDeal(Deal("Expansion", pipeline: 0, new("Ada", "Lovelace", "ada@acme.example"), new("Cy", "Doe", null)));
        var signed = _simulator.AddDeal(Deal("Renewal", pipeline: 1, new("Bob", "Ng", "bob@acme.example"), new("Ada", "Lovelace", "ada@acme.example")));
        _simulator.SetDealOutcome(signed, SimulatedDealOutcome.Won);

        var deals = await Crm.Deals.ReadAsync(null).ToListAsync();

        deals.Select(r => (r.Value.Id, r.Value.Outcome)).Should().BeEquivalentTo(new[] { (open, CrmDealOutcome.Open), (signed, CrmDealOutcome.Won) });
        var won = deals.Single(r => r.Value.Id == signed).Value;
        won.StageId.Should().Be("Signed", "the second sales process's won stage, known as won only by its IsWon");
        won.CompanyName.Should().Be("Acme Corp");
        won.OwnerName.Should().Be("Sam Seller");
        var contacts = await Crm.GetDealContactsAsync(signed);
        contacts.Select(c => (c.Email, c.IsPrimary)).Should().Equal(("bob@acme.example", true), ("ada@acme.example", false));
        (await Crm.GetDealContactsAsync(open)).Select(c => c.Email).Should().Equal("ada@acme.example", null);
        _simulator.TokensIssued.Should().Be(1, "one JWT bearer sign-in serves every request");
    }

    private static SimulatedDeal Deal(string name, int pipeline, params SimulatedDealContact[] contacts) => new()
    {
        Name = name,
        Amount = 1200m,
        Company = "Acme Corp",
        Owner = "Sam Seller",
        Pipeline = pipeline,
        Contacts = contacts,
    };
}
