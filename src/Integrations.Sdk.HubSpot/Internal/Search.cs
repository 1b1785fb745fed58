namespace Integrations.Sdk.HubSpot.Internal;

/// <summary>
/// <c>PublicObjectSearchRequest</c>. The spec requires <c>after</c>, <c>filterGroups</c>, <c>limit</c>,
/// <c>properties</c> and <c>sorts</c>, so all five are always sent: the first page's cursor is <c>"0"</c> and no sort
/// is <c>[]</c>.
/// </summary>
internal sealed record SearchRequest(
    IReadOnlyList<FilterGroup> FilterGroups,
    IReadOnlyList<string> Properties,
    int Limit,
    [property: JsonIgnore] string? After = null,
    [property: JsonIgnore] IReadOnlyList<SearchSort>? Sorts = null)
{
    /// <summary>The paging cursor sent: <see cref="After"/>, or <c>"0"</c> for the first page.</summary>
    [JsonPropertyName("after")]
    public string AfterOnWire => After ?? "0";

    /// <summary>The sorts sent: <see cref="Sorts"/>, or none.</summary>
    [JsonPropertyName("sorts")]
    public IReadOnlyList<SearchSort> SortsOnWire => Sorts ?? [];

    /// <summary>A search whose filters all apply (one group; none when there are no filters).</summary>
    public static SearchRequest All(IReadOnlyList<Filter> filters, IReadOnlyList<string> properties, int limit, string? after = null, IReadOnlyList<SearchSort>? sorts = null) =>
        new(filters.Count == 0 ? [] : [new FilterGroup(filters)], properties, limit, after, sorts);
}

internal sealed record FilterGroup(IReadOnlyList<Filter> Filters);

internal sealed record Filter(string PropertyName, string Operator, string? Value);

internal sealed record SearchSort(string PropertyName, string Direction);
