using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Integrations.Sdk.Stores;
using Integrations.Sdk.WooCommerce.Internal;
using Integrations.Sdk.WooCommerce.Models;

namespace Integrations.Sdk.WooCommerce;

/// <summary>The store category model over the typed API, and the stock writes.</summary>
public sealed partial class WooCommerceConnector : IStoreConnector
{
    /// <summary>How many products' category names a connector remembers; past it the memory starts afresh.</summary>
    internal const int ProductTypeCacheLimit = 1024;

    private readonly IRecordSource<StoreOrder> _storeOrders;
    private readonly ConcurrentDictionary<long, string?> _productTypes = new();

    /// <summary>
    /// Sets the stock of a product, or of a variation when <see cref="WooStockUpdate.VariationId"/> is set, to an
    /// absolute quantity: <c>PUT /products/{id}</c> or <c>PUT /products/{productId}/variations/{id}</c> with
    /// <c>{"manage_stock": true, "stock_quantity": N}</c>. Setting an absolute quantity leaves the same stock when
    /// repeated, so it is safe to retry (<see cref="WriteSafety.NaturalUpsert"/>); it does not add to a count that
    /// changed meanwhile (read it first, with <see cref="FindStockBySkuAsync"/>, when that matters).
    /// </summary>
    public ISinkOperation<WooStockUpdate, WooStockLevel> SetStock { get; }

    /// <inheritdoc />
    string IStoreConnector.Platform => ConnectorName;

    /// <summary>
    /// The orders as the store category model shows them, with the same checkpoints as <see cref="Orders"/>; an order
    /// with refunds costs one more request (<c>GET /orders/{id}/refunds</c>), and the first order of each product one
    /// more (<c>GET /products/{id}</c>, for its category).
    /// </summary>
    IRecordSource<StoreOrder> IStoreConnector.Orders => _storeOrders;

    /// <summary>
    /// Maps an order to the store category model (<see cref="StoreOrder"/>): reads its refunds in full when it has any,
    /// and its products' first category names (remembered per connector). For an order from a webhook, for example.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="PlatformException">The order has neither <c>date_created_gmt</c> nor <c>date_modified_gmt</c> (<c>invalid_response</c>).</exception>
    public async Task<StoreOrder> ToStoreOrderAsync(WooOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var refunds = order.Refunds.Count > 0 ? await GetRefundsAsync(order.Id, cancellationToken).ConfigureAwait(false) : [];
        var types = new Dictionary<long, string?>();
        foreach (var productId in order.LineItems.Select(l => l.ProductId).Where(id => id > 0).Distinct())
        {
            types[productId] = await ProductTypeAsync(productId, cancellationToken).ConfigureAwait(false);
        }

        return WooStoreMapping.ToStoreOrder(order, refunds, types);
    }

    /// <summary>
    /// Finds the stock of the product or variation with a SKU: <c>GET /products?sku=…</c>, and when no product has it,
    /// the variations of the variable products (<c>GET /products?type=variable</c>, then
    /// <c>GET /products/{id}/variations?sku=…</c> for each).
    /// </summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The stock, or <see langword="null"/> when nothing has this SKU.</returns>
    public async Task<WooStockLevel?> FindStockBySkuAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var wanted = sku.Trim();
        if (await FindProductBySkuAsync(wanted, cancellationToken).ConfigureAwait(false) is { } product)
        {
            return new WooStockLevel(product.Id, null, product.Sku, product.ManageStock, product.ManageStock ? product.StockQuantity : null);
        }

        await foreach (var parent in ListAsync((page, size, ct) => _api().ListProductsAsync(null, "variable", page, size, ct), cancellationToken).ConfigureAwait(false))
        {
            if (await FindVariationBySkuAsync(parent.Id, wanted, cancellationToken).ConfigureAwait(false) is { } variation)
            {
                return Level(parent.Id, variation);
            }
        }

        return null;
    }

    /// <inheritdoc />
    async Task<StoreOrder?> IStoreConnector.GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        if (!long.TryParse(orderId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            throw new ArgumentException($"A WooCommerce order id is a positive number, not '{orderId}'.", nameof(orderId));
        }

        return await GetOrderAsync(id, cancellationToken).ConfigureAwait(false) is { } order
            ? await ToStoreOrderAsync(order, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <inheritdoc />
    async Task<StoreCustomer?> IStoreConnector.FindCustomerByEmailAsync(string email, CancellationToken cancellationToken) =>
        await FindCustomerByEmailAsync(email, cancellationToken).ConfigureAwait(false) is { } customer
            ? new StoreCustomer
            {
                Id = customer.Id.ToString(CultureInfo.InvariantCulture),
                Email = customer.Email,
                FirstName = string.IsNullOrEmpty(customer.FirstName) ? null : customer.FirstName,
                LastName = string.IsNullOrEmpty(customer.LastName) ? null : customer.LastName,
            }
            : null;

    /// <inheritdoc />
    async Task<decimal?> IStoreConnector.GetStockAsync(string sku, CancellationToken cancellationToken) =>
        (await FindStockBySkuAsync(sku, cancellationToken).ConfigureAwait(false))?.StockQuantity;

    /// <summary>
    /// The orders, each mapped or with the problem that stopped it: the store source maps with
    /// <see cref="StoreRead.MappedOrThrow"/>, so one order that cannot be mapped (or whose refunds the store refuses) is
    /// dead-lettered alone and the read goes on. A failure that may pass (a timeout, a 5xx or 429 the transport already
    /// retried) or that every order would meet (401, 403) still stops the read: the next run resumes at that order.
    /// </summary>
    private async IAsyncEnumerable<SourceRecord<StoreRead>> ReadStoreOrdersAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in Orders.ReadAsync(checkpoint, cancellationToken).ConfigureAwait(false))
        {
            var order = record.Value;
            IReadOnlyList<WooRefund> refunds = [];
            Exception? problem = null;
            if (order.Refunds.Count > 0)
            {
                try
                {
                    refunds = await GetRefundsAsync(order.Id, cancellationToken).ConfigureAwait(false);
                }
                catch (PlatformException ex) when (!ex.IsRetryable && ex.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                {
                    problem = new PlatformException(ex.Platform, ex.StatusCode, ex.ErrorCode,
                        $"the refunds of order {order.Id} (#{order.Number}) could not be read: {ex.PlatformMessage}", ex.RequestId, innerException: ex);
                }
            }

            StoreOrder? mapped = null;
            if (problem is null)
            {
                var types = new Dictionary<long, string?>();
                foreach (var productId in order.LineItems.Select(l => l.ProductId).Where(id => id > 0).Distinct())
                {
                    types[productId] = await ProductTypeAsync(productId, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    mapped = WooStoreMapping.ToStoreOrder(order, refunds, types);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    problem = new FormatException($"WooCommerce order {order.Id} (#{order.Number}) could not be mapped to the store model: {ex.Message}", ex);
                }
            }

            yield return new SourceRecord<StoreRead>(new StoreRead(order, mapped, problem), record.Checkpoint);
        }
    }

    /// <summary>The product's first category name, read once per product (a missing product has none).</summary>
    private async Task<string?> ProductTypeAsync(long productId, CancellationToken cancellationToken)
    {
        if (_productTypes.TryGetValue(productId, out var known))
        {
            return known;
        }

        var product = await GetProductAsync(productId, cancellationToken).ConfigureAwait(false);
        var name = product?.Categories.Select(c => c.Name).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
        if (_productTypes.Count >= ProductTypeCacheLimit)
        {
            _productTypes.Clear();
        }

        _productTypes[productId] = name;
        return name;
    }

    private async Task<WooStockLevel> WriteStockAsync(WooStockUpdate update, CancellationToken cancellationToken)
    {
        var body = new WooStockBody { StockQuantity = update.StockQuantity };
        if (update.VariationId is { } variationId)
        {
            var variation = await _api().UpdateVariationStockAsync(update.ProductId, variationId, body, cancellationToken).ConfigureAwait(false);
            return Level(update.ProductId, variation);
        }

        var product = await _api().UpdateProductStockAsync(update.ProductId, body, cancellationToken).ConfigureAwait(false);
        return new WooStockLevel(product.Id, null, product.Sku, product.ManageStock, product.StockQuantity);
    }

    private static void ValidateStock(WooStockUpdate update)
    {
        if (update.ProductId < 1)
        {
            throw new ArgumentException($"A WooCommerce stock update needs a product id of 1 or more, not {update.ProductId} (field {nameof(WooStockUpdate.ProductId)}).", nameof(update));
        }

        if (update.VariationId is < 1)
        {
            throw new ArgumentException($"A WooCommerce stock update's variation id must be 1 or more, not {update.VariationId} (field {nameof(WooStockUpdate.VariationId)}).", nameof(update));
        }
    }

    private static WooStockLevel Level(long productId, WooProductVariation variation)
    {
        var manages = variation.Extra.TryGetValue("manage_stock", out var manage)
            && (manage.ValueKind == JsonValueKind.True || (manage.ValueKind == JsonValueKind.String && manage.GetString() == "parent"));
        return new WooStockLevel(productId, variation.Id, variation.Sku, manages, manages ? variation.StockQuantity : null);
    }

    /// <summary>An order as read, with its store-model mapping or the problem that stopped it; a dead letter's payload is <c>{"order": …}</c>.</summary>
    internal sealed record StoreRead(WooOrder Order, [property: JsonIgnore] StoreOrder? Mapped, [property: JsonIgnore] Exception? Problem)
    {
        public static StoreOrder MappedOrThrow(StoreRead read) => read.Problem is { } problem ? throw problem : read.Mapped!;
    }
}
