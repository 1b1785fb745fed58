using Integrations.Sdk.Stripe.Tests.Support;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Stripe.Tests.Extending;

/// <summary>
/// Stripe returns every field of an object, so its lookups take no extra fields: the fields the models do not type
/// land in <c>Extra</c>. Against the simulator, whose objects follow Stripe's published fixtures.
/// </summary>
public sealed class UntypedFieldsTests : IAsyncLifetime
{
    private readonly StripeSimulator _simulator = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = StripeHost.Build(_simulator, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task GetCustomer_KeepsTheFieldsTheModelDoesNotType_InExtra()
    {
        var id = _simulator.AddCustomer("pat@example.com", "Pat");

        var customer = await _services.GetRequiredService<StripeConnector>().GetCustomerAsync(id);

        customer!.Email.Should().Be("pat@example.com");
        customer.Extra["object"].GetString().Should().Be("customer");
        customer.Extra.Should().ContainKey("invoice_settings", "Stripe's customer object carries it, and the model does not type it");
        customer.Extra.Should().NotContainKey("email", "a typed field is read into its property");
    }
}
