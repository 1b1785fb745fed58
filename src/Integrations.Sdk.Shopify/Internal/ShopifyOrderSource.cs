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
    /// <summary>
    /// Orders read through one cursor before the read starts a new query from the last <c>updatedAt</c> seen: Shopify
    /// stops paging a connection after 25,000 objects.
    /// </summary>
    internal int RestartAfter { get; init; } = 20_000;

    public async IAsyncEnumerable<SourceRecord<ShopifyOrder>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DateTimeOffset? since = checkpoint is null ? null : ParseCheckpoint(checkpoint) - options.UpdatedAtOverlap;
        string? after = null;
        var throughCursor = 0;
        DateTimeOffset? lastUpdatedAt = null;
        bool more;
        do
        {
            var filter = since is { } from ? ShopifyOperations.UpdatedSince(from) : null;
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
                throughCursor++;
                lastUpdatedAt = order.UpdatedAt;
                yield return new SourceRecord<ShopifyOrder>(order, FormatCheckpoint(order.UpdatedAt));
            }

            after = NextCursor(orders.PageInfo, ShopifyOperations.Orders);
            more = after is not null;

            // Deep reads restart from the last updatedAt seen (orders of that second are read again, harmlessly),
            // as long as that moves the window forward; otherwise they keep following the cursor.
            if (after is not null && throughCursor >= RestartAfter && lastUpdatedAt is { } last
                && (since is null || ShopifyOperations.WholeSeconds(last) > ShopifyOperations.WholeSeconds(since.Value)))
            {
                since = last;
                after = null;
                throughCursor = 0;
            }
        }
        while (more);
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
