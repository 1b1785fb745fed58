using System.Runtime.CompilerServices;
using Integrations.Sdk.Shopify.GraphQl;

namespace Integrations.Sdk.Shopify.Internal;

/// <summary>Orders by <c>updated_at</c>, paged by cursor; each order's checkpoint is its <c>updatedAt</c>, a resumed read starts at it minus the overlap.</summary>
internal static class OrderReads
{
    /// <summary>Orders read through one cursor before a new query starts from the last <c>updatedAt</c>: Shopify stops paging a connection after 25,000 objects.</summary>
    public const int RestartAfter = 20_000;

    public static async IAsyncEnumerable<SourceRecord<ShopifyOrder>> ReadAsync(
        ShopifyGraphQlClient client, ShopifyOptions options, string? checkpoint, int restartAfter = RestartAfter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DateTimeOffset? since = checkpoint is null ? null : ParseCheckpoint(checkpoint) - options.UpdatedAtOverlap;
        while (true)
        {
            // A window is one query followed by cursor. Deep reads end it at a page boundary and restart from the last
            // updatedAt seen (orders of that second are read again, harmlessly), as long as that moves the window forward.
            var (read, restartAt) = (0, (DateTimeOffset?)null);
            var nodes = Paging.ByCursorAsync<OrderNode>(ShopifyConnector.ConnectorName, async (after, ct) =>
            {
                var variables = new OrdersVariables(options.OrdersPageSize, after, since is { } from ? ShopifyOperations.UpdatedSince(from) : null, options.OrderLineItemsPageSize);
                var data = await client.SendAsync(ShopifyOperations.Orders, ShopifyOperations.OrdersDocument, variables,
                    ShopifyJsonContext.Default.OrdersVariables, ShopifyJsonContext.Default.OrdersData, ct).ConfigureAwait(false);
                var page = (data.Orders ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.Orders, "data.orders is missing")).ToPage(ShopifyOperations.Orders);
                read += page.Items?.Count ?? 0;
                if (page.Next is not null && read >= restartAfter && page.Items?.LastOrDefault()?.UpdatedAt is { } last
                    && (since is null || ShopifyOperations.WholeSeconds(last) > ShopifyOperations.WholeSeconds(since.Value)))
                {
                    restartAt = last;
                    return page with { Next = null };
                }

                return page;
            }, cancellationToken);

            await foreach (var node in nodes.ConfigureAwait(false))
            {
                ShopifyMapping.Required(node.Id, ShopifyOperations.Orders, "orders.nodes.id");
                var order = await CompleteAsync(client, node, cancellationToken).ConfigureAwait(false);
                yield return new SourceRecord<ShopifyOrder>(order, FormatCheckpoint(order.UpdatedAt));
            }

            if (restartAt is null)
            {
                yield break;
            }

            since = restartAt;
        }
    }

    /// <summary>The checkpoint of an order: its <c>updatedAt</c> in UTC, ISO 8601 round-trip.</summary>
    public static string FormatCheckpoint(DateTimeOffset updatedAt) => updatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseCheckpoint(string checkpoint) =>
        DateTimeOffset.TryParse(checkpoint, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new FormatException($"The Shopify orders checkpoint '{checkpoint}' is not an ISO 8601 timestamp (an order's updatedAt).");

    /// <summary>One order by its global id, complete (all its line items and refunds), or <see langword="null"/> when the shop has none with this id.</summary>
    public static async Task<ShopifyOrder?> ReadOneAsync(ShopifyGraphQlClient client, ShopifyOptions options, string id, CancellationToken cancellationToken)
    {
        var data = await client.SendAsync(ShopifyOperations.OrderById, ShopifyOperations.OrderByIdDocument, new OrderByIdVariables(id, options.OrderLineItemsPageSize),
            ShopifyJsonContext.Default.OrderByIdVariables, ShopifyJsonContext.Default.OrderData, cancellationToken).ConfigureAwait(false);
        return data.Order is { } node
            ? WholeOrThrow(await CompleteAsync(client, node with { Id = ShopifyMapping.Required(node.Id, ShopifyOperations.OrderById, "order.id") }, cancellationToken).ConfigureAwait(false))
            : null;
    }

    /// <summary>The order with all its line items and, when it has any, its refunds (each a follow-up query).</summary>
    private static async Task<ShopifyOrder> CompleteAsync(ShopifyGraphQlClient client, OrderNode node, CancellationToken cancellationToken)
    {
        var lines = await ReadLineItemsAsync(client, node, cancellationToken).ConfigureAwait(false);
        var (refunds, problem) = node.Refunds is { Count: > 0 } ? await ReadRefundsAsync(client, node.Id!, cancellationToken).ConfigureAwait(false) : ([], null);
        return ShopifyMapping.ToOrder(node, lines, refunds) with { ReadProblem = problem };
    }

    /// <summary>
    /// The order as read, or the order's read problem thrown: the orders source maps with it, so an order it could not
    /// read whole is dead-lettered (step <c>$select</c>, naming the order) while the read goes on with the next order.
    /// </summary>
    public static ShopifyOrder WholeOrThrow(ShopifyOrder order) => order.ReadProblem is { } problem ? throw problem : order;

    /// <summary>
    /// The order's refunds, oldest first. Shopify's <c>refunds</c> is a list without paging: one more than <see cref="ShopifyOperations.RefundsPerOrder"/>
    /// is asked, and an order with more refunds (or a refund with more lines than a query can carry) gets no refunds and a problem saying so
    /// (<c>too_many_refunds</c>), rather than being read short; the orders source fails that order alone (<see cref="WholeOrThrow"/>).
    /// </summary>
    private static async Task<(IReadOnlyList<ShopifyRefund> Refunds, PlatformException? Problem)> ReadRefundsAsync(ShopifyGraphQlClient client, string orderId, CancellationToken cancellationToken)
    {
        var data = await client.SendAsync(ShopifyOperations.OrderRefunds, ShopifyOperations.OrderRefundsDocument, new OrderRefundsVariables(orderId),
            ShopifyJsonContext.Default.OrderRefundsVariables, ShopifyJsonContext.Default.OrderRefundsData, cancellationToken).ConfigureAwait(false);
        var refunds = (data.Order ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.OrderRefunds, $"order {orderId} is missing")).Refunds ?? [];
        if (refunds.Count > ShopifyOperations.RefundsPerOrder || refunds.Any(r => r?.RefundLineItems?.PageInfo?.HasNextPage == true))
        {
            return ([], new PlatformException(ShopifyConnector.ConnectorName, HttpStatusCode.OK, "too_many_refunds",
                $"{ShopifyOperations.OrderRefunds}: order {orderId} has more than {ShopifyOperations.RefundsPerOrder} refunds or a refund of more than "
                + $"{ShopifyOperations.RefundLineItemsPerRefund} lines, more than the connector reads in one query; it is not read short: book its refunds by hand."));
        }

        return ([.. refunds.OfType<RefundNode>().Select(r => ShopifyMapping.ToRefund(r, orderId)).OrderBy(r => r.CreatedAt ?? DateTimeOffset.MaxValue)], null);
    }

    /// <summary>The order's line items: those that came with the page, then the rest, page by page, when there are more.</summary>
    private static async Task<IReadOnlyList<ShopifyLineItem>> ReadLineItemsAsync(ShopifyGraphQlClient client, OrderNode node, CancellationToken cancellationToken)
    {
        var lines = Paging.ByCursorAsync<LineItemNode>(ShopifyConnector.ConnectorName, async (after, ct) =>
        {
            if (after is null)
            {
                return node.LineItems?.ToPage(ShopifyOperations.Orders) ?? default;
            }

            var data = await client.SendAsync(ShopifyOperations.OrderLineItems, ShopifyOperations.OrderLineItemsDocument,
                new OrderLineItemsVariables(node.Id!, ShopifyOperations.LineItemsFollowUpPageSize, after),
                ShopifyJsonContext.Default.OrderLineItemsVariables, ShopifyJsonContext.Default.OrderLineItemsData, ct).ConfigureAwait(false);
            return (data.Order?.LineItems ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.OrderLineItems, $"order {node.Id} or its lineItems is missing"))
                .ToPage(ShopifyOperations.OrderLineItems);
        }, cancellationToken);

        return await lines.Select(ShopifyMapping.ToLineItem).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
