namespace Integrations.Sdk.HubSpot.Internal;

/// <summary><c>PublicObjectSearchRequest</c>.</summary>
internal sealed record SearchRequest(
    IReadOnlyList<FilterGroup> FilterGroups, IReadOnlyList<string> Properties, int Limit, string? After = null, IReadOnlyList<SearchSort>? Sorts = null)
{
    /// <summary>A search whose filters all apply (one group; none when there are no filters).</summary>
    public static SearchRequest All(IReadOnlyList<Filter> filters, IReadOnlyList<string> properties, int limit, string? after = null, IReadOnlyList<SearchSort>? sorts = null) =>
        new(filters.Count == 0 ? [] : [new FilterGroup(filters)], properties, limit, after, sorts);
}

internal sealed record FilterGroup(IReadOnlyList<Filter> Filters);

internal sealed record Filter(string PropertyName, string Operator, string? Value);

internal sealed record SearchSort(string PropertyName, string Direction);
