namespace Integrations.Sdk.Shopify.GraphQl;

internal sealed record PageInfo(bool HasNextPage, string? EndCursor);

/// <summary>A GraphQL connection: <c>{ pageInfo { hasNextPage endCursor } nodes }</c>.</summary>
internal sealed record Connection<T>(PageInfo? PageInfo, List<T?>? Nodes)
{
    /// <summary>This connection as a page to follow; <c>hasNextPage</c> without an <c>endCursor</c> is an invalid response.</summary>
    public Page<T> ToPage(string operation) => new(Nodes, PageInfo switch
    {
        { HasNextPage: true, EndCursor: { Length: > 0 } cursor } => cursor,
        { HasNextPage: true } => throw ShopifyGraphQlClient.InvalidResponse(operation, "pageInfo.hasNextPage is true but endCursor is missing"),
        _ => null,
    });
}
