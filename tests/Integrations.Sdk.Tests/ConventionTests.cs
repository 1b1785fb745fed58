using System.Reflection;
using Integrations.Sdk.Pipelines;

namespace Integrations.Sdk.Tests;

/// <summary>Guards the whole public surface of the core package.</summary>
public sealed class ConventionTests
{
    private static readonly Assembly Sdk = typeof(ISyncRunner).Assembly;

    [Fact]
    public void EveryPublicAsyncMethod_TakesACancellationToken()
    {
        var missing = Sdk.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal)
                || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        missing.Should().BeEmpty();
    }

    [Fact]
    public void PublicTypes_AreSealedOrAbstractOrInterfaces_UnlessDesignedForInheritance()
    {
        var open = Sdk.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.Name)
            .ToList();

        open.Should().BeEquivalentTo(["PlatformSignalReader"], "only the signal reader is meant to be derived from, by connectors");
    }
}
