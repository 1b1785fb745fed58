using Integrations.Sdk.HubSpot.Models;
using Refit;

namespace Integrations.Sdk.HubSpot.Internal;

/// <summary>The HubSpot CRM v3 endpoints the connector uses; all but the task create are replay-safe.</summary>
[Headers("Accept: application/json")]
internal interface IHubSpotApi
{
    [Post("/crm/v3/objects/{objectType}/search")]
    Task<ListPage<T>> SearchAsync<T>(
        string objectType, [Body] SearchRequest request, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Post("/crm/v3/objects/contacts/batch/upsert")]
    Task<BatchResult<HubSpotContact>> UpsertContactsAsync(
        [Body] BatchUpsertRequest request, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Patch("/crm/v3/objects/contacts/{contactId}")]
    Task<HubSpotContact> UpdateContactAsync(
        string contactId, [Body] PropertiesInput input, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Post("/crm/v3/objects/tasks")]
    Task<HubSpotTask> CreateTaskAsync([Body] CreateInput input, CancellationToken cancellationToken = default);

    [Get("/crm/v3/objects/deals")]
    Task<ListPage<HubSpotDeal>> ListDealsAsync([Query] int limit, [Query] string? after, [Query] string properties, CancellationToken cancellationToken = default);

    [Post("/crm/v3/objects/contacts/batch/read")]
    Task<BatchResult<HubSpotContact>> ReadContactsAsync(
        [Body] BatchReadRequest request, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Get("/crm/v3/pipelines/deals")]
    Task<PipelineList> GetDealPipelinesAsync(CancellationToken cancellationToken = default);

    [Get("/crm/v4/objects/deals/{dealId}/associations/contacts")]
    Task<AssociationPage> GetDealContactAssociationsAsync(string dealId, [Query] int limit, [Query] string? after, CancellationToken cancellationToken = default);

    [Get("/crm/v3/owners/{ownerId}")]
    Task<OwnerItem> GetOwnerAsync(string ownerId, CancellationToken cancellationToken = default);

    [Get("/crm/v3/objects/deals/{dealId}")]
    Task<HubSpotDeal> GetDealAsync(string dealId, [Query] string properties, CancellationToken cancellationToken = default);
}
