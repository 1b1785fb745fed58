using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Testing.QuickBooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.QuickBooks.Tests.Extending;

/// <summary>
/// QuickBooks returns every field of an entity that has a value, so its lookups take no extra fields: the fields the
/// models do not type land in <c>Extra</c>.
/// </summary>
public sealed class UntypedFieldsTests : IAsyncLifetime
{
    private readonly QuickBooksSimulator _simulator = new(realmId: QboHost.Realm);
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = QboHost.Build(_simulator, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task FindItemBySku_KeepsTheFieldsTheModelDoesNotType_InExtra()
    {
        _simulator.AddItem("MUG-1", "Mug", quantityOnHand: 4, unitPrice: 9.9m);

        var item = await _services.GetRequiredService<QuickBooksConnector>().FindItemBySkuAsync("MUG-1");

        item!.Name.Should().Be("Mug");
        item.Extra["FullyQualifiedName"].GetString().Should().Be("Mug");
        item.Extra["Taxable"].GetBoolean().Should().BeFalse();
        item.Extra.Should().NotContainKey("Name", "a typed field is read into its property");
    }
}
