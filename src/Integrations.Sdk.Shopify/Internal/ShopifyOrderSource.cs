using System.Globalization;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Shopify.GraphQl;

namespace Integrations.Sdk.Shopify.Internal;

/// <summary>
/// Orders by <c>updated_at</c>: pages of <c>orders(sortKey: UPDATED_AT)</c> followed by cursor, each order's checkpoint
/// its <c>updatedAt</c>; a resumed read starts at the checkpoint minus the overlap.
/// </summary>
internal sealed class ShopifyOrderSource(ShopifyGraphQlClient client, ShopifyOptions options) : IRecordSource<ShopifyOrder>
{
    public async IAsyncEnumerable<SourceRecord<ShopifyOrder>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = checkpoint is null ? null : ShopifyOperations.UpdatedSince(ParseCheckpoint(checkpoint) - options.UpdatedAtOverlap);
        string? after = null;
        do
        {
            var data = await client.SendAsync(
                ShopifyOperations.Orders,
                ShopifyOperations.OrdersDocument,
                new OrdersVariables(options.OrdersPageSize, after, filter, options.OrderLineItemsPageSize),
                ShopifyJsonContext.Default.OrdersVariables,
                ShopifyJsonContext.Default.OrdersData,
                replaySafe: true,
                cancellationToken).ConfigureAwait(false);

            var orders = data.Orders ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.Orders, "data.orders is missing");
            foreach (var node in orders.Nodes ?? [])
            {
                if (node is null)
                {
                    continue;
                }

                if (string.IsNullOrEmpty(node.Id))
                {
                    throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.Orders, "orders.nodes.id is missing");
                }

                var lineItems = await ReadLineItemsAsync(node, cancellationToken).ConfigureAwait(false);
                var order = ShopifyMapping.ToOrder(node, lineItems);
                yield return new SourceRecord<ShopifyOrder>(order, FormatCheckpoint(order.UpdatedAt));
            }

            after = NextCursor(orders.PageInfo, ShopifyOperations.Orders);
        }
        while (after is not null);
    }

    /// <summary>The checkpoint of an order: its <c>updatedAt</c> in UTC, ISO 8601 round-trip.</summary>
    internal static string FormatCheckpoint(DateTimeOffset updatedAt) => updatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseCheckpoint(string checkpoint) =>
        DateTimeOffset.TryParse(checkpoint, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new FormatException($"The Shopify orders checkpoint '{checkpoint}' is not an ISO 8601 timestamp (an order's updatedAt).");

    private static string? NextCursor(PageInfo? pageInfo, string operation) => pageInfo switch
    {
        { HasNextPage: true, EndCursor: { Length: > 0 } cursor } => cursor,
        { HasNextPage: true } => throw ShopifyGraphQlClient.InvalidResponse(operation, "pageInfo.hasNextPage is true but endCursor is missing"),
        _ => null,
    };

    /// <summary>The order's line items: those that came with the page, then the rest, page by page, when there are more.</summary>
    private async Task<IReadOnlyList<ShopifyLineItem>> ReadLineItemsAsync(OrderNode node, CancellationToken cancellationToken)
    {
        var items = (node.LineItems?.Nodes ?? []).Select(ShopifyMapping.ToLineItem).ToList();
        var after = NextCursor(node.LineItems?.PageInfo, ShopifyOperations.Orders);
        while (after is not null)
        {
            var data = await client.SendAsync(
                ShopifyOperations.OrderLineItems,
                ShopifyOperations.OrderLineItemsDocument,
                new OrderLineItemsVariables(node.Id!, ShopifyOperations.LineItemsFollowUpPageSize, after),
                ShopifyJsonContext.Default.OrderLineItemsVariables,
                ShopifyJsonContext.Default.OrderLineItemsData,
                replaySafe: true,
                cancellationToken).ConfigureAwait(false);

            var connection = data.Order?.LineItems
                ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.OrderLineItems, $"order {node.Id} or its lineItems is missing");
            items.AddRange((connection.Nodes ?? []).Select(ShopifyMapping.ToLineItem));
            after = NextCursor(connection.PageInfo, ShopifyOperations.OrderLineItems);
        }

        return items;
    }
}
