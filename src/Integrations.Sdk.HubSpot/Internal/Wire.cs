using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Integrations.Sdk.HubSpot.Internal;

/// <summary>The JSON settings of HubSpot's wire: camelCase, nulls left out.</summary>
internal static class HubSpotJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A new settings object each time: the transport sets its exception factory on it.</summary>
    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}

/// <summary><c>PublicObjectSearchRequest</c>.</summary>
internal sealed record SearchRequest(
    [property: JsonPropertyName("filterGroups")] IReadOnlyList<FilterGroup> FilterGroups,
    [property: JsonPropertyName("properties")] IReadOnlyList<string> Properties,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("after")] string? After = null,
    [property: JsonPropertyName("sorts")] IReadOnlyList<SearchSort>? Sorts = null);

internal sealed record FilterGroup([property: JsonPropertyName("filters")] IReadOnlyList<Filter> Filters);

internal sealed record Filter(
    [property: JsonPropertyName("propertyName")] string PropertyName,
    [property: JsonPropertyName("operator")] string Operator,
    [property: JsonPropertyName("value")] string? Value);

internal sealed record SearchSort(
    [property: JsonPropertyName("propertyName")] string PropertyName,
    [property: JsonPropertyName("direction")] string Direction);

/// <summary>A page of a list or a search: <c>{ total?, results, paging: { next: { after } } }</c>.</summary>
internal sealed class Page<T>
{
    [JsonPropertyName("total")]
    public int? Total { get; init; }

    [JsonPropertyName("results")]
    public List<T>? Results { get; init; }

    [JsonPropertyName("paging")]
    public Paging? Paging { get; init; }

    public string? NextAfter => string.IsNullOrEmpty(Paging?.Next?.After) ? null : Paging.Next.After;
}

internal sealed class Paging
{
    [JsonPropertyName("next")]
    public NextPage? Next { get; init; }
}

internal sealed class NextPage
{
    [JsonPropertyName("after")]
    public string? After { get; init; }
}

/// <summary><c>BatchInputSimplePublicObjectBatchInputUpsert</c>.</summary>
internal sealed record BatchUpsertRequest([property: JsonPropertyName("inputs")] IReadOnlyList<UpsertInput> Inputs);

internal sealed record UpsertInput(
    [property: JsonPropertyName("idProperty")] string IdProperty,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string?> Properties);

/// <summary><c>BatchResponseSimplePublicUpsertObject</c> (200) or its <c>WithErrors</c> variant (207).</summary>
internal sealed class BatchResult<T>
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("results")]
    public List<T>? Results { get; init; }

    [JsonPropertyName("errors")]
    public List<JsonElement>? Errors { get; init; }
}

/// <summary><c>SimplePublicObjectInput</c>: the body of a PATCH.</summary>
internal sealed record PropertiesInput([property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string?> Properties);

/// <summary><c>SimplePublicObjectInputForCreate</c>: properties and associations.</summary>
internal sealed record CreateInput(
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string?> Properties,
    [property: JsonPropertyName("associations")] IReadOnlyList<AssociationInput> Associations);

internal sealed record AssociationInput(
    [property: JsonPropertyName("to")] AssociationTarget To,
    [property: JsonPropertyName("types")] IReadOnlyList<AssociationType> Types);

internal sealed record AssociationTarget([property: JsonPropertyName("id")] string Id);

internal sealed record AssociationType(
    [property: JsonPropertyName("associationCategory")] string AssociationCategory,
    [property: JsonPropertyName("associationTypeId")] int AssociationTypeId);
