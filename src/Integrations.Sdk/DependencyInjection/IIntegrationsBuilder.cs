using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk;

/// <summary>
/// Returned by <c>services.AddIntegrations(...)</c>. Connector packages, state providers and syncs hang off it
/// as extension methods (<c>.AddShopify(...)</c>, <c>.UseSqliteState(...)</c>, <c>.AddSync(...)</c>).
/// </summary>
public interface IIntegrationsBuilder
{
    /// <summary>The service collection the integrations are registered in.</summary>
    IServiceCollection Services { get; }
}
