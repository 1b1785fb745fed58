using Refit;

namespace Integrations.Sdk.Salesforce.Internal;

/// <summary>
/// The Salesforce REST endpoints the connector uses, under <c>/services/data/{version}</c>. The transport adds the
/// bearer token and moves each request to the instance URL (<see cref="SalesforceAuthHandler"/>).
/// </summary>
[Headers("Accept: application/json")]
internal interface ISalesforceApi
{
    [Get("/services/data/{version}/query")]
    Task<QueryPage> QueryAsync(string version, [AliasAs("q")] string soql, CancellationToken cancellationToken = default);

    /// <summary>The next batch of a query: <c>nextRecordsUrl</c> (<c>/services/data/vNN.0/query/01g...-2000</c>), relative to the instance.</summary>
    [Get("/{**nextRecordsUrl}")]
    Task<QueryPage> QueryMoreAsync(string nextRecordsUrl, CancellationToken cancellationToken = default);

    [Post("/services/data/{version}/sobjects/{sobject}")]
    Task<SaveResultDto> CreateAsync(string version, string sobject, [Body] JsonObject fields, CancellationToken cancellationToken = default);

    [Patch("/services/data/{version}/sobjects/{sobject}/{id}")]
    Task UpdateAsync(string version, string sobject, string id, [Body] JsonObject fields, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    /// <summary>Upsert by external id: 201 created, 200 (with a body) or 204 updated, 300 when the value matches several records.</summary>
    [Patch("/services/data/{version}/sobjects/{sobject}/{field}/{value}")]
    Task<HttpResponseMessage> UpsertAsync(string version, string sobject, string field, string value, [Body] JsonObject fields, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Get("/services/data/{version}/sobjects/{sobject}/{field}/{value}")]
    Task<IdOnly> GetByExternalIdAsync(string version, string sobject, string field, string value, [AliasAs("fields")] string fieldList = "Id", CancellationToken cancellationToken = default);

    [Post("/services/data/{version}/composite/sobjects")]
    Task<List<SaveResultDto>> CreateCollectionAsync(string version, [Body] CollectionRequest body, CancellationToken cancellationToken = default);

    [Patch("/services/data/{version}/composite/sobjects")]
    Task<List<SaveResultDto>> UpdateCollectionAsync(string version, [Body] CollectionRequest body, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);

    [Patch("/services/data/{version}/composite/sobjects/{sobject}/{field}")]
    Task<List<SaveResultDto>> UpsertCollectionAsync(string version, string sobject, string field, [Body] CollectionRequest body, [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true, CancellationToken cancellationToken = default);
}

/// <summary>A query answer: <c>{ totalSize, done, records, nextRecordsUrl }</c>.</summary>
internal sealed class QueryPage
{
    public int TotalSize { get; set; }

    public bool Done { get; set; }

    public string? NextRecordsUrl { get; set; }

    public List<JsonElement>? Records { get; set; }
}

/// <summary>A SaveResult or UpsertResult: <c>{ id, success, created?, errors }</c>.</summary>
internal sealed class SaveResultDto
{
    public string? Id { get; set; }

    public bool Success { get; set; }

    public bool? Created { get; set; }

    public List<JsonElement>? Errors { get; set; }
}

/// <summary>An sObject Collections request body: <c>{ allOrNone, records }</c>.</summary>
internal sealed class CollectionRequest
{
    [JsonPropertyName("allOrNone")]
    public bool AllOrNone { get; set; }

    [JsonPropertyName("records")]
    public List<JsonObject> Records { get; set; } = [];
}

internal sealed class IdOnly
{
    public string? Id { get; set; }
}

internal sealed class NameRef
{
    public string? Name { get; set; }
}

/// <summary>The Opportunity fields the deals read asks for.</summary>
internal sealed class OpportunityRow
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? StageName { get; set; }

    public bool IsClosed { get; set; }

    public bool IsWon { get; set; }

    public decimal? Amount { get; set; }

    public string? CloseDate { get; set; }

    public string? OwnerId { get; set; }

    public NameRef? Owner { get; set; }

    public NameRef? Account { get; set; }

    public string? CurrencyIsoCode { get; set; }

    public string? SystemModstamp { get; set; }
}

internal sealed class ContactRef
{
    public string? Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }
}

/// <summary>An OpportunityContactRole with its contact.</summary>
internal sealed class ContactRoleRow
{
    public string? ContactId { get; set; }

    public string? Role { get; set; }

    public bool IsPrimary { get; set; }

    public ContactRef? Contact { get; set; }
}

/// <summary>An OpportunityStage.</summary>
internal sealed class StageRow
{
    public string? ApiName { get; set; }

    public string? MasterLabel { get; set; }

    public bool IsClosed { get; set; }

    public bool IsWon { get; set; }

    public int? SortOrder { get; set; }
}
