using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Shopify.Internal;
using Integrations.Sdk.Stores;

namespace Integrations.Sdk.Shopify;

/// <summary>
/// One Shopify shop, on the GraphQL Admin API: its orders as an incremental source, customer and variant lookups,
/// and inventory adjustments as an idempotent sink. Registered by <c>AddShopify(...)</c>; resolve it from the services,
/// or as the store category model with <c>GetRequiredKeyedService&lt;IStoreConnector&gt;("shopify")</c>.
/// </summary>
public sealed class ShopifyConnector : IStoreConnector
{
    /// <summary>The connector's name: it names its HTTP options, budgets, telemetry and webhook source.</summary>
    public const string ConnectorName = "shopify";

    private const string InventoryQuantityField = "inventoryQuantity";

    private readonly ShopifyGraphQlClient _client;
    private readonly ShopifyOptions _options;
    private readonly IRecordSource<StoreOrder> _storeOrders;

    internal ShopifyConnector(Func<IShopifyGraphQl> api, ShopifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _client = new ShopifyGraphQlClient(api, options.ApiVersion);
        _options = options;
        // An order that cannot be read whole (too many refunds) fails alone, as a Select failure: dead-lettered, and the read goes on.
        Orders = RecordSource.Create<ShopifyOrder>((checkpoint, ct) => OrderReads.ReadAsync(_client, options, checkpoint, cancellationToken: ct))
            .Select(OrderReads.WholeOrThrow);
        _storeOrders = Orders.Select(StoreMapping.ToStoreOrder);
        AdjustInventory = SinkOperation.WithIdempotencyKey<InventoryAdjustment, InventoryAdjustmentResult>(
            "Shopify", maxKeyLength: 255, // Shopify documents no limit; step keys are far shorter
            (input, key, ct) => InventoryAdjustments.SendAsync(_client, input, key, ct), InventoryAdjustments.Validate);
    }

    /// <summary>
    /// Orders, oldest change first, with all their line items; each order's checkpoint is its <c>updatedAt</c> (UTC, ISO 8601), and a resumed
    /// read starts <see cref="ShopifyOptions.UpdatedAtOverlap"/> earlier. Without <c>read_all_orders</c> Shopify returns only the last 60 days.
    /// An order with more refunds than one query reads is not read short: a sync dead-letters it (<c>too_many_refunds</c>, naming
    /// the order) and reads on; read directly, it stops the read.
    /// </summary>
    public IRecordSource<ShopifyOrder> Orders { get; }

    /// <inheritdoc />
    string IStoreConnector.Platform => ConnectorName;

    /// <summary>
    /// <see cref="Orders"/> in the store category model: amounts in the presentment currency (what the customer paid in), with the
    /// exchange rate to the shop's currency when they differ. An order that does not map is dead-lettered by the sync reading it.
    /// </summary>
    IRecordSource<StoreOrder> IStoreConnector.Orders => _storeOrders;

    /// <summary>Reads one order, complete (all its line items and refunds).</summary>
    /// <param name="orderId">The order's numeric id (as <see cref="StoreOrder.Id"/> shows it) or its global id (<c>gid://shopify/Order/...</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order, or <see langword="null"/> when the shop has none with this id.</returns>
    /// <exception cref="ArgumentException"><paramref name="orderId"/> is neither a numeric id nor a global id.</exception>
    public Task<ShopifyOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        return OrderReads.ReadOneAsync(_client, _options, StoreMapping.OrderGlobalId(orderId.Trim()), cancellationToken);
    }

    /// <inheritdoc />
    async Task<StoreOrder?> IStoreConnector.GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        await GetOrderAsync(orderId, cancellationToken).ConfigureAwait(false) is { } order ? StoreMapping.ToStoreOrder(order) : null;

    /// <inheritdoc />
    async Task<StoreCustomer?> IStoreConnector.FindCustomerByEmailAsync(string email, CancellationToken cancellationToken) =>
        await FindCustomerByEmailAsync(email, cancellationToken).ConfigureAwait(false) is { } customer ? StoreMapping.ToStoreCustomer(customer) : null;

    /// <summary>
    /// The quantity of a SKU available over all the shop's locations: the variant's <c>inventoryQuantity</c>, read with
    /// <see cref="FindVariantBySkuAsync(string, IEnumerable{string}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The quantity, or <see langword="null"/> when no variant has the SKU or Shopify gives no quantity.</returns>
    async Task<decimal?> IStoreConnector.GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        var variant = await FindVariantBySkuAsync(sku, [InventoryQuantityField], cancellationToken).ConfigureAwait(false);
        return variant is not null && variant.Extra.TryGetValue(InventoryQuantityField, out var quantity) && quantity.ValueKind == JsonValueKind.Number
            ? quantity.GetDecimal()
            : null;
    }

    /// <summary>
    /// Adjusts the <c>available</c> quantity of an inventory item at a location, keyed by <c>@idempotent</c> so a retry applies it once. A refusal
    /// (<c>userErrors</c>) throws a non-retryable <see cref="PlatformException"/> whose <see cref="PlatformException.ErrorCode"/> is Shopify's code.
    /// </summary>
    public ISinkOperation<InventoryAdjustment, InventoryAdjustmentResult> AdjustInventory { get; }

    /// <summary>Finds the customer whose default email address is <paramref name="email"/> (case-insensitive).</summary>
    /// <param name="email">The email address.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The customer, or <see langword="null"/> when none has that email.</returns>
    public Task<ShopifyCustomer?> FindCustomerByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        FindCustomerByEmailAsync(email, extraFields: null, cancellationToken);

    /// <summary>
    /// Finds the customer whose default email address is <paramref name="email"/> (case-insensitive), with
    /// <paramref name="extraFields"/> selected as well: GraphQL answers only the fields a query selects, so these are
    /// added to the query's selection on <c>Customer</c> and returned in <see cref="ShopifyCustomer.Extra"/>.
    /// </summary>
    /// <param name="email">The email address.</param>
    /// <param name="extraFields">Names of scalar fields of Shopify's <c>Customer</c> (for example <c>note</c>, <c>tags</c>, <c>numberOfOrders</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The customer, or <see langword="null"/> when none has that email.</returns>
    /// <exception cref="ArgumentException">A name in <paramref name="extraFields"/> is not a plain GraphQL field name.</exception>
#pragma warning disable RS0026 // A second overload with an optional token: extraFields has no default, so a call without it binds only to the first.
    public async Task<ShopifyCustomer?> FindCustomerByEmailAsync(string email, IEnumerable<string>? extraFields, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var extra = ShopifyOperations.ExtraSelections(extraFields, nameof(extraFields));
        var data = await _client.SearchAsync(
            ShopifyOperations.CustomerByEmail,
            ShopifyOperations.WithExtraSelections(ShopifyOperations.CustomerByEmailDocument, extra),
            "email",
            email.Trim(),
            ShopifyJsonContext.Default.CustomersData,
            cancellationToken)
            .ConfigureAwait(false);
        var match = (data.Customers?.Nodes ?? []).FirstOrDefault(c =>
            c?.Id is not null && string.Equals(c.DefaultEmailAddress?.EmailAddress?.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
        return match is null ? null : ShopifyMapping.ToCustomer(match, extra);
    }

    /// <summary>Finds the product variant whose SKU is exactly <paramref name="sku"/>.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The variant, or <see langword="null"/> when none has that SKU.</returns>
    public Task<ShopifyVariant?> FindVariantBySkuAsync(string sku, CancellationToken cancellationToken = default) =>
        FindVariantBySkuAsync(sku, extraFields: null, cancellationToken);

    /// <summary>
    /// Finds the product variant whose SKU is exactly <paramref name="sku"/>, with <paramref name="extraFields"/>
    /// selected as well (on <c>ProductVariant</c>) and returned in <see cref="ShopifyVariant.Extra"/>.
    /// </summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="extraFields">Names of scalar fields of Shopify's <c>ProductVariant</c> (for example <c>barcode</c>, <c>inventoryQuantity</c>, <c>displayName</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The variant, or <see langword="null"/> when none has that SKU.</returns>
    /// <exception cref="ArgumentException">A name in <paramref name="extraFields"/> is not a plain GraphQL field name.</exception>
#pragma warning disable RS0026 // As above.
    public async Task<ShopifyVariant?> FindVariantBySkuAsync(string sku, IEnumerable<string>? extraFields, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var extra = ShopifyOperations.ExtraSelections(extraFields, nameof(extraFields));
        var data = await _client.SearchAsync(
            ShopifyOperations.VariantBySku,
            ShopifyOperations.WithExtraSelections(ShopifyOperations.VariantBySkuDocument, extra),
            "sku",
            sku,
            ShopifyJsonContext.Default.VariantsData,
            cancellationToken)
            .ConfigureAwait(false);
        var match = (data.ProductVariants?.Nodes ?? []).FirstOrDefault(v => v?.Id is not null && string.Equals(v.Sku, sku, StringComparison.Ordinal));
        return match is null ? null : ShopifyMapping.ToVariant(match, extra);
    }
}
