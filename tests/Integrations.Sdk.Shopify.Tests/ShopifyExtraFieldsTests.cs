using System.Text.Json;
using Integrations.Sdk.Shopify.Tests.Support;
using Integrations.Sdk.Testing.Shopify;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>Extra selections on the lookups, against the simulator, which answers exactly the fields a query selects, as GraphQL does.</summary>
public sealed class ShopifyExtraFieldsTests : IAsyncLifetime
{
    private readonly ShopifySimulator _shop = new(new ShopifySimulatorOptions { RestoreRate = 1_000_000 });

    public Task InitializeAsync() => _shop.StartAsync();

    public async Task DisposeAsync() => await _shop.DisposeAsync();

    private ServiceProvider Connect() =>
        ShopifyTestHost.Build(_shop.BaseAddress, TimeProvider.System, null, ShopifyTestHost.FastTransport, null, _shop.Options.AccessToken);

    [Fact]
    public async Task Lookups_WithExtraFields_ReturnTheSelectedFieldsInExtra()
    {
        var bob = _shop.AddCustomer("bob@example.com", "Bob", "Stone");
        _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 4);
        await using var sp = Connect();
        var connector = sp.GetRequiredService<ShopifyConnector>();

        var plain = await connector.FindCustomerByEmailAsync("bob@example.com");
        var customer = await connector.FindCustomerByEmailAsync("bob@example.com", ["displayName", " tags ", "displayName"]);
        var variant = await connector.FindVariantBySkuAsync("MUG-1", ["inventoryQuantity", "displayName"]);

        plain!.Extra.Should().BeEmpty();
        customer!.Id.Should().Be(bob.Id);
        customer.Extra.Keys.Should().BeEquivalentTo("displayName", "tags");
        customer.Extra["displayName"].GetString().Should().Be("Bob Stone");
        customer.Extra["tags"].ValueKind.Should().Be(JsonValueKind.Array);
        variant!.Extra["inventoryQuantity"].GetInt32().Should().Be(4);
        variant.Extra["displayName"].GetString().Should().Be("Mug - Default Title");
        _shop.ConformanceRecorder.Counts.Violations.Should().Be(0);
    }

    [Theory]
    [InlineData("defaultAddress { city }")]
    [InlineData("note(x: 1)")]
    [InlineData("a: note")]
    [InlineData("9lives")]
    [InlineData("")]
    public async Task Lookup_AnExtraFieldThatIsNotAPlainName_IsRefusedBeforeItIsSent(string field)
    {
        await using var sp = Connect();

        var act = () => sp.GetRequiredService<ShopifyConnector>().FindCustomerByEmailAsync("bob@example.com", [field]);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("extraFields");
        _shop.OperationCounts.Should().BeEmpty();
    }
}
