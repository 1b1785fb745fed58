using System.Reflection;
using Integrations.Sdk.Testing.Shopify;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>Guards the public surface of the Shopify package and the Shopify simulator.</summary>
public sealed class ConventionTests
{
    private static readonly Type[] Surface =
    [
        .. typeof(ShopifyConnector).Assembly.GetExportedTypes(),
        .. typeof(ShopifySimulator).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(ShopifySimulator).Namespace),
    ];

    [Fact]
    public void EveryPublicAsyncMethod_TakesACancellationToken()
    {
        var missing = Surface
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal)
                || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        missing.Should().BeEmpty();
    }

    [Fact]
    public void PublicClasses_AreSealedOrStatic()
    {
        Surface.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract).Select(t => t.Name).Should().BeEmpty();
    }

    [Fact]
    public void PublicConstructors_CheckTheirArguments()
    {
        var act = () => new ShopifyWebhookSource(null!);

        act.Should().Throw<ArgumentNullException>();
        typeof(ShopifyConnector).GetConstructors().Should().BeEmpty("the connector is built by AddShopify");
        new ShopifyWebhookSource(Options.Create(new ShopifyOptions())).Name.Should().Be("shopify");
    }
}
