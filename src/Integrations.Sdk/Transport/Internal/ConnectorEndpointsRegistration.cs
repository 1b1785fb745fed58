using Refit;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>
/// The Refit settings a connector's own client was registered with (by <c>AddConnectorClient</c>, which the kit's
/// <c>ConnectorDefinition.Client</c> calls), so that endpoints added to it later read and write JSON the same way.
/// Its presence also says the connector is registered.
/// </summary>
/// <param name="Connector">The connector's name.</param>
/// <param name="Create">Creates the settings (a new instance each call), or <see langword="null"/> for Refit's defaults.</param>
internal sealed record ConnectorSerialization(string Connector, Func<IServiceProvider, RefitSettings>? Create);

/// <summary>An application's own Refit interface added to a registered connector with <c>AddConnectorEndpoints</c>.</summary>
/// <param name="Connector">The connector it was added to.</param>
/// <param name="ClientName">The HTTP client's name.</param>
/// <param name="Api">The Refit interface.</param>
internal sealed record ConnectorEndpointsRegistration(string Connector, string ClientName, Type Api)
{
    /// <summary>The message when <paramref name="connector"/> names no registered connector.</summary>
    public static string NotRegistered(string connector, Type api, IEnumerable<string> registered)
    {
        var names = registered.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return $"AddConnectorEndpoints<{api.Name}>: no connector named '{connector}' is registered; "
            + (names.Count == 0
                ? "none is (register it first, for example with AddHubSpot(...))."
                : $"the registered connectors are {string.Join(", ", names.Select(n => $"'{n}'"))}. Use one of them (names are case-sensitive), or register the connector.");
    }

    /// <summary>The options checked when the host starts, one instance per added interface (named by its client name).</summary>
    internal sealed class Check;

    /// <summary>Fails the host's start when an added interface names a connector nobody registered.</summary>
    internal sealed class Validator(IEnumerable<ConnectorEndpointsRegistration> endpoints, IEnumerable<ConnectorSerialization> connectors) : IValidateOptions<Check>
    {
        public ValidateOptionsResult Validate(string? name, Check options)
        {
            var endpoint = endpoints.FirstOrDefault(e => e.ClientName == name);
            if (endpoint is null || connectors.Any(c => c.Connector == endpoint.Connector))
            {
                return ValidateOptionsResult.Skip;
            }

            return ValidateOptionsResult.Fail(NotRegistered(endpoint.Connector, endpoint.Api, connectors.Select(c => c.Connector)));
        }
    }
}
