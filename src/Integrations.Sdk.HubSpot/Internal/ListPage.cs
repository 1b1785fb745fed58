namespace Integrations.Sdk.HubSpot.Internal;

/// <summary>A page of a list or a search: <c>{ results, paging: { next: { after } } }</c>.</summary>
internal sealed record ListPage<T>(List<T>? Results, PageLinks? Paging)
{
    /// <summary>The page for the kit's paging; an empty <c>after</c> ends it.</summary>
    public Page<T> AsPage() => new(Results, Paging?.Next?.After is { Length: > 0 } after ? after : null);
}

internal sealed record PageLinks(PageCursor? Next);

internal sealed record PageCursor(string? After);
