using System.Reflection;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing.Stripe;
using Integrations.Sdk.Stripe.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Stripe.Tests;

/// <summary>Guards the public surface of the Stripe package.</summary>
public sealed class ConventionTests
{
    [Fact]
    public void PublicTypes_LiveInTheConnectorsNamespacesOrTheDependencyInjectionEntry()
    {
        typeof(StripeConnector).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is not ("Integrations.Sdk.Stripe" or "Integrations.Sdk.Stripe.Models" or "Microsoft.Extensions.DependencyInjection"))
            .Select(t => t.FullName)
            .Should().BeEmpty();
    }

    [Fact]
    public void Operations_DeclareTheirWriteSafety_AndTheWebhookSourceIsRegistered()
    {
        using var services = StripeHost.Build("https://api.stripe.com/", TimeProvider.System);
        var connector = services.GetRequiredService<StripeConnector>();

        connector.CreateCustomer.Safety.Should().Be(WriteSafety.IdempotencyKey);
        connector.UpdateCustomerMetadata.Safety.Should().Be(WriteSafety.IdempotencyKey);
        services.GetServices<IWebhookSource>().Should().ContainSingle(s => s.Name == "stripe").Which.Should().BeOfType<StripeWebhookSource>();
    }

    [Fact]
    public void PublicClasses_AreSealedOrStatic_AndAsyncMethodsTakeACancellationToken()
    {
        var surface = typeof(StripeConnector).Assembly.GetExportedTypes()
            .Concat(typeof(StripeSimulator).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(StripeSimulator).Namespace))
            .ToList();

        surface.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract).Select(t => t.FullName).Should().BeEmpty();
        surface
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Where(m => m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Should().BeEmpty();
    }
}
