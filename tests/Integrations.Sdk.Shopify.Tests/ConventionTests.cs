using System.Reflection;
using Integrations.Sdk.Testing.Shopify;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>Guards the public surface of the Shopify package and the Shopify simulator.</summary>
public sealed class ConventionTests
{
    [Fact]
    public void PublicConstructors_CheckTheirArguments()
    {
        var act = () => new ShopifyWebhookSource(null!);

        act.Should().Throw<ArgumentNullException>();
        typeof(ShopifyConnector).GetConstructors().Should().BeEmpty("the connector is built by AddShopify");
        new ShopifyWebhookSource(Options.Create(new ShopifyOptions())).Name.Should().Be("shopify");
    }
}
