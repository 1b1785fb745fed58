using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.Transport;
using Refit;

namespace Integrations.Sdk.HubSpot.Tests.Extending;

/// <summary>
/// An application's own HubSpot endpoints, added with <c>AddConnectorEndpoints</c>: a contact read by id (the connector
/// offers none) and a contact search marked replay-safe (a POST that only reads).
/// </summary>
[Headers("Accept: application/json")]
public interface IContactReadsApi
{
    /// <summary><c>GET /crm/v3/objects/contacts/{contactId}</c> with the properties named.</summary>
    [Get("/crm/v3/objects/contacts/{contactId}")]
    Task<HubSpotContact> GetContactAsync(string contactId, [Query] string properties, CancellationToken cancellationToken = default);

    /// <summary>The same read for another account (its own budget).</summary>
    [Get("/crm/v3/objects/contacts/{contactId}")]
    Task<HubSpotContact> GetContactForAccountAsync(
        string contactId, [Query] string properties, [Property(IntegrationsRequest.AccountKeyName)] string account, CancellationToken cancellationToken = default);
}
