using Integrations.Sdk.Salesforce.Internal;
using Integrations.Sdk.Salesforce.Models;

namespace Integrations.Sdk.Salesforce;

public sealed partial class SalesforceConnector
{
    /// <summary>The most records an sObject Collections request takes.</summary>
    public const int MaxBatchSize = 200;

    /// <summary>
    /// Creates a record (<c>POST /sobjects/{Object}</c>). Nothing deduplicates a create, so it is
    /// <see cref="WriteSafety.Unsafe"/>: after an attempt with unknown effect the runner sets the record aside as ambiguous.
    /// Prefer <see cref="Upsert"/> (or <see cref="CreateUnlessExists"/>) when the object has an external id field.
    /// </summary>
    public ISinkOperation<SObjectDraft, SObjectResult> Create { get; }

    /// <summary>
    /// Creates a record at most once (<see cref="WriteSafety.LookupThenCreate"/>): it first reads
    /// <c>GET /sobjects/{Object}/{ExternalIdField}/{value}</c> and creates only when no record has that external id;
    /// an existing record is returned as is (<see cref="SObjectResult.Created"/> <see langword="false"/>), never changed.
    /// The draft must name <see cref="SObjectDraft.ExternalIdField"/> and carry its value.
    /// </summary>
    public ILookupThenCreateOperation<SObjectDraft, SObjectResult> CreateUnlessExists { get; }

    /// <summary>Sets field values on a record by id (<c>PATCH /sobjects/{Object}/{Id}</c>, 204); a repeat sets the same values (<see cref="WriteSafety.NaturalUpsert"/>).</summary>
    public ISinkOperation<SObjectUpdate, SObjectResult> Update { get; }

    /// <summary>
    /// Creates or updates a record by an external id (<c>PATCH /sobjects/{Object}/{ExternalIdField}/{value}</c>: 201 created,
    /// 200 or 204 updated), a natural upsert. A value that matches several records (300) is refused, not retried.
    /// </summary>
    public ISinkOperation<SObjectUpsert, SObjectResult> Upsert { get; }

    /// <summary>Creates up to 200 records in one request (<c>POST /composite/sobjects</c>, <c>allOrNone</c>); unsafe, as <see cref="Create"/>. Results are in the records' order.</summary>
    public ISinkOperation<SObjectBatch<SObjectDraft>, IReadOnlyList<SObjectResult>> CreateMany { get; }

    /// <summary>Updates up to 200 records by id in one request (<c>PATCH /composite/sobjects</c>, <c>allOrNone</c>); a natural upsert.</summary>
    public ISinkOperation<SObjectBatch<SObjectUpdate>, IReadOnlyList<SObjectResult>> UpdateMany { get; }

    /// <summary>
    /// Upserts up to 200 records of one object by one external id field in one request
    /// (<c>PATCH /composite/sobjects/{Object}/{ExternalIdField}</c>, <c>allOrNone</c>); a natural upsert.
    /// </summary>
    public ISinkOperation<SObjectBatch<SObjectUpsert>, IReadOnlyList<SObjectResult>> UpsertMany { get; }

    private void InitializeWrites(
        out ISinkOperation<SObjectDraft, SObjectResult> create,
        out ILookupThenCreateOperation<SObjectDraft, SObjectResult> createUnlessExists,
        out ISinkOperation<SObjectUpdate, SObjectResult> update,
        out ISinkOperation<SObjectUpsert, SObjectResult> upsert,
        out ISinkOperation<SObjectBatch<SObjectDraft>, IReadOnlyList<SObjectResult>> createMany,
        out ISinkOperation<SObjectBatch<SObjectUpdate>, IReadOnlyList<SObjectResult>> updateMany,
        out ISinkOperation<SObjectBatch<SObjectUpsert>, IReadOnlyList<SObjectResult>> upsertMany)
    {
        create = SinkOperation.Unsafe<SObjectDraft, SObjectResult>((d, _, ct) => CreateAsync(d, ct), d => ValidateDraft(d, needsExternalId: false));
        createUnlessExists = SinkOperation.LookupThenCreate<SObjectDraft, SObjectResult>(
            (d, _, ct) => FindByExternalIdAsync(d, ct), (d, _, ct) => CreateAsync(d, ct), d => ValidateDraft(d, needsExternalId: true));
        update = SinkOperation.NaturalUpsert<SObjectUpdate, SObjectResult>(UpdateAsync, ValidateUpdate);
        upsert = SinkOperation.NaturalUpsert<SObjectUpsert, SObjectResult>(UpsertAsync, ValidateUpsert);
        createMany = SinkOperation.Unsafe<SObjectBatch<SObjectDraft>, IReadOnlyList<SObjectResult>>(
            (b, _, ct) => CollectionAsync(b.Records.Select(d => WithType(d.SObjectType, d.Fields)), b.AllOrNone, true, api => api.CreateCollectionAsync, ct),
            b => ValidateBatch(b, d => ValidateDraft(d, needsExternalId: false)));
        updateMany = SinkOperation.NaturalUpsert<SObjectBatch<SObjectUpdate>, IReadOnlyList<SObjectResult>>(
            (b, ct) => CollectionAsync(b.Records.Select(u => WithId(u)), b.AllOrNone, false, api => (v, body, c) => api.UpdateCollectionAsync(v, body, cancellationToken: c), ct),
            b => ValidateBatch(b, ValidateUpdate));
        upsertMany = SinkOperation.NaturalUpsert<SObjectBatch<SObjectUpsert>, IReadOnlyList<SObjectResult>>(UpsertManyAsync, ValidateUpsertBatch);
    }

    private static void ValidateDraft(SObjectDraft draft, bool needsExternalId)
    {
        ObjectName(draft.SObjectType, "A Salesforce record needs its object's API name", nameof(draft.SObjectType));
        if (draft.Fields is null)
        {
            throw new ArgumentException("A Salesforce record needs field values (field Fields).", nameof(draft.Fields));
        }

        if (needsExternalId)
        {
            var field = ObjectName(draft.ExternalIdField, "A Salesforce create-unless-exists needs the external id field to look it up by", nameof(draft.ExternalIdField));
            if (ExternalValue(draft.Fields, field) is null)
            {
                throw new ArgumentException($"A Salesforce create-unless-exists needs a value for its external id field {field} (field Fields.{field}).", nameof(draft.Fields));
            }
        }
    }

    private static void ValidateUpdate(SObjectUpdate update)
    {
        ObjectName(update.SObjectType, "A Salesforce update needs its object's API name", nameof(update.SObjectType));
        if (!SalesforceOptions.IsRecordId(Require.Text(update.Id, "A Salesforce update needs the record's id", nameof(update.Id))))
        {
            throw new ArgumentException($"A Salesforce update needs a record id of 15 or 18 letters and digits, not '{update.Id}' (field Id).", nameof(update.Id));
        }

        if (update.Fields is null)
        {
            throw new ArgumentException("A Salesforce update needs field values (field Fields).", nameof(update.Fields));
        }
    }

    private static void ValidateUpsert(SObjectUpsert upsert)
    {
        ObjectName(upsert.SObjectType, "A Salesforce upsert needs its object's API name", nameof(upsert.SObjectType));
        ObjectName(upsert.ExternalIdField, "A Salesforce upsert needs the external id field's API name", nameof(upsert.ExternalIdField));
        Require.Text(upsert.ExternalIdValue, "A Salesforce upsert needs the external id's value", nameof(upsert.ExternalIdValue));
        if (upsert.Fields is null)
        {
            throw new ArgumentException("A Salesforce upsert needs field values (field Fields).", nameof(upsert.Fields));
        }
    }

    private static void ValidateUpsertBatch(SObjectBatch<SObjectUpsert> batch)
    {
        ValidateBatch(batch, ValidateUpsert);
        var first = batch.Records[0];
        if (batch.Records.Any(r => !string.Equals(r.SObjectType.Trim(), first.SObjectType.Trim(), StringComparison.Ordinal)
            || !string.Equals(r.ExternalIdField.Trim(), first.ExternalIdField.Trim(), StringComparison.Ordinal)))
        {
            throw new ArgumentException("A Salesforce upsert batch holds records of one object by one external id field (field Records).", nameof(batch.Records));
        }
    }

    private static void ValidateBatch<T>(SObjectBatch<T> batch, Action<T> validate)
    {
        Require.Items(batch.Records, "A Salesforce batch needs at least one record", nameof(batch.Records));
        if (batch.Records.Count > MaxBatchSize)
        {
            throw new ArgumentException($"A Salesforce batch holds at most {MaxBatchSize} records, not {batch.Records.Count} (field Records).", nameof(batch.Records));
        }

        for (var i = 0; i < batch.Records.Count; i++)
        {
            try
            {
                validate(batch.Records[i] ?? throw new ArgumentException("A Salesforce batch holds a null record.", nameof(batch.Records)));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Records[{i}]: {ex.Message}", ex.ParamName, ex);
            }
        }
    }

    /// <summary>An API name: letters, digits and underscores (custom ones end <c>__c</c>).</summary>
    private static string ObjectName(string? value, string what, string field)
    {
        var name = Require.Text(value, what, field);
        return char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? name
            : throw new ArgumentException($"{what}: '{value}' is not an API name (letters, digits, underscores) (field {field}).", field);
    }

    private static string? ExternalValue(JsonObject fields, string field) =>
        fields.TryGetPropertyValue(field, out var node) && node is JsonValue value && value.ToString() is { Length: > 0 } text ? text : null;

    private async Task<SObjectResult> CreateAsync(SObjectDraft draft, CancellationToken cancellationToken)
    {
        var result = await _api().CreateAsync(_options.ApiVersion, draft.SObjectType.Trim(), draft.Fields, cancellationToken).ConfigureAwait(false);
        return result is { Id.Length: > 0 }
            ? ToResult(result, created: true)
            : throw PlatformException.InvalidResponse(ConnectorName, $"the answer to a {draft.SObjectType} creation holds no id", mayHaveBeenApplied: true);
    }

    private async Task<SObjectResult?> FindByExternalIdAsync(SObjectDraft draft, CancellationToken cancellationToken)
    {
        var field = draft.ExternalIdField!.Trim();
        var value = ExternalValue(draft.Fields, field)!;
        var found = await PlatformReads.OrNullWhenMissingAsync(
            ct => _api().GetByExternalIdAsync(_options.ApiVersion, draft.SObjectType.Trim(), field, value, cancellationToken: ct), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found is { Id.Length: > 0 } ? new SObjectResult(found.Id, true, false, []) : null;
    }

    private async Task<SObjectResult> UpdateAsync(SObjectUpdate update, CancellationToken cancellationToken)
    {
        await _api().UpdateAsync(_options.ApiVersion, update.SObjectType.Trim(), update.Id.Trim(), update.Fields, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SObjectResult(update.Id.Trim(), true, false, []);
    }

    private async Task<SObjectResult> UpsertAsync(SObjectUpsert upsert, CancellationToken cancellationToken)
    {
        using var response = await _api().UpsertAsync(
            _options.ApiVersion, upsert.SObjectType.Trim(), upsert.ExternalIdField.Trim(), upsert.ExternalIdValue.Trim(), upsert.Fields, cancellationToken: cancellationToken).ConfigureAwait(false);
        var body = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.MultipleChoices)
        {
            // Several records have this external id: nothing was written, and a retry would find the same.
            throw new PlatformException(ConnectorName, response.StatusCode, "MULTIPLE_CHOICES",
                $"{upsert.ExternalIdField} '{upsert.ExternalIdValue}' matches several {upsert.SObjectType} records; nothing was written");
        }

        var created = response.StatusCode == HttpStatusCode.Created;
        if (PlatformJson.TryParse(body, out var root) && root.ValueKind == JsonValueKind.Object)
        {
            SaveResultDto dto;
            try
            {
                dto = root.Deserialize<SaveResultDto>(SalesforceJson.Options)!;
            }
            catch (JsonException ex)
            {
                throw PlatformException.InvalidResponse(ConnectorName, $"the answer to a {upsert.SObjectType} upsert could not be read: {ex.Message}", mayHaveBeenApplied: true, innerException: ex);
            }

            return ToResult(dto, dto.Created ?? created);
        }

        // 204: updated, no body.
        return new SObjectResult(null, true, created, []);
    }

    private Task<IReadOnlyList<SObjectResult>> UpsertManyAsync(SObjectBatch<SObjectUpsert> batch, CancellationToken cancellationToken)
    {
        var first = batch.Records[0];
        var sobject = first.SObjectType.Trim();
        var field = first.ExternalIdField.Trim();
        var records = batch.Records.Select(r =>
        {
            var record = WithType(sobject, r.Fields);
            record[field] = r.ExternalIdValue.Trim();
            return record;
        });
        return CollectionAsync(records, batch.AllOrNone, null, api => (v, body, c) => api.UpsertCollectionAsync(v, sobject, field, body, cancellationToken: c), cancellationToken);
    }

    private static JsonObject WithType(string sobject, JsonObject fields)
    {
        var record = new JsonObject { ["attributes"] = new JsonObject { ["type"] = sobject.Trim() } };
        foreach (var (name, value) in fields)
        {
            if (name != "attributes")
            {
                record[name] = value?.DeepClone();
            }
        }

        return record;
    }

    private static JsonObject WithId(SObjectUpdate update)
    {
        var record = WithType(update.SObjectType, update.Fields);
        record["id"] = update.Id.Trim();
        return record;
    }

    private async Task<IReadOnlyList<SObjectResult>> CollectionAsync(
        IEnumerable<JsonObject> records,
        bool allOrNone,
        bool? created,
        Func<ISalesforceApi, Func<string, CollectionRequest, CancellationToken, Task<List<SaveResultDto>>>> send,
        CancellationToken cancellationToken)
    {
        var body = new CollectionRequest { AllOrNone = allOrNone, Records = [.. records] };
        var results = await send(_api())(_options.ApiVersion, body, cancellationToken).ConfigureAwait(false);
        if (results is null || results.Count != body.Records.Count || results.Any(r => r is null))
        {
            throw PlatformException.InvalidResponse(ConnectorName,
                $"an sObject Collections answer holds {results?.Count ?? 0} results for {body.Records.Count} records", mayHaveBeenApplied: true);
        }

        return [.. results.Select(r => ToResult(r, r.Created ?? created))];
    }

    private static SObjectResult ToResult(SaveResultDto dto, bool? created)
    {
        var errors = new List<SalesforceError>();
        foreach (var error in dto.Errors ?? [])
        {
            errors.AddRange(SalesforceSignalReader.ReadErrors(error));
        }

        return new SObjectResult(dto.Id, dto.Success, dto.Success ? created : null, errors);
    }
}
