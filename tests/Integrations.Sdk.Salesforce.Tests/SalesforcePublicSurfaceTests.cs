using System.Reflection;

namespace Integrations.Sdk.Salesforce.Tests;

/// <summary>The package's public surface follows the repository's rules (as the end-to-end PublicSurfaceTests check for the other packages).</summary>
public sealed class SalesforcePublicSurfaceTests
{
    [Fact]
    public void EveryPublicAsyncMethod_TakesACancellationToken_AndNoPublicClassIsOpenForDerivation()
    {
        var types = typeof(SalesforceConnector).Assembly.GetExportedTypes();
        var asyncWithoutToken = types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal)
                || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");
        var open = types.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t)).Select(t => t.Name);

        asyncWithoutToken.Should().BeEmpty();
        open.Should().BeEmpty();
    }
}
