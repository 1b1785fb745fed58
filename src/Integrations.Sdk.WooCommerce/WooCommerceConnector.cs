using System.Runtime.CompilerServices;
using Integrations.Sdk.WooCommerce.Internal;
using Integrations.Sdk.WooCommerce.Models;
using Refit;

namespace Integrations.Sdk.WooCommerce;

/// <summary>
/// The WooCommerce connector (REST API v3): orders read incrementally by <c>modified_after</c>, an order and its
/// refunds, products and variations with their stock (found by SKU, set by <see cref="SetStock"/>), customers (found by
/// email). Lists are paged by <c>page</c>/<c>per_page</c> until <c>X-WP-TotalPages</c>. It is also the store category
/// model's <see cref="Integrations.Sdk.Stores.IStoreConnector"/> (keyed <c>woocommerce</c>). Resolve it after
/// <c>AddWooCommerce(...)</c>; it is thread-safe.
/// </summary>
public sealed partial class WooCommerceConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget, telemetry and webhook route.</summary>
    public const string ConnectorName = "woocommerce";

    /// <summary>The header that gives the number of pages of a list answer.</summary>
    internal const string TotalPagesHeader = "X-WP-TotalPages";

    private readonly Func<IWooCommerceApi> _api;
    private readonly WooCommerceOptions _options;

    internal WooCommerceConnector(Func<IWooCommerceApi> api, WooCommerceOptions options)
    {
        _api = api;
        _options = options;
        Orders = RecordSource.Create<WooOrder>(ReadOrdersAsync);
        _storeOrders = RecordSource.Create<StoreRead>(ReadStoreOrdersAsync).Select(StoreRead.MappedOrThrow);
        SetStock = SinkOperation.NaturalUpsert<WooStockUpdate, WooStockLevel>(WriteStockAsync, ValidateStock);
    }

    /// <summary>
    /// Orders changed since the checkpoint (all orders on a first read), by <c>modified_after</c> with
    /// <c>dates_are_gmt=true</c>, in id order. WooCommerce cannot sort by modification date, so only the last order
    /// of a read carries a checkpoint: the latest <c>date_modified_gmt</c> seen and that order's id
    /// (<c>2026-12-05T10:00:00Z|123</c>). A resumed read starts <see cref="WooCommerceOptions.ModifiedOverlap"/> before
    /// that date (WooCommerce's <c>modified_after</c> is exclusive and to the second), skips that one order in that
    /// version, and gives the others of the overlap again for the step memo to skip.
    /// </summary>
    public IRecordSource<WooOrder> Orders { get; }

    /// <summary>Streams the orders modified after a date (<c>GET /orders?modified_after=…&amp;dates_are_gmt=true&amp;orderby=id&amp;order=asc</c>), page by page.</summary>
    /// <param name="modifiedAfter">Only orders modified strictly after this instant; <see langword="null"/> for all orders.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<WooOrder> GetOrdersModifiedAfterAsync(DateTimeOffset? modifiedAfter, CancellationToken cancellationToken = default)
    {
        var after = modifiedAfter is { } date ? FormatGmt(date) : null;
        return ListAsync((page, size, ct) => _api().ListOrdersAsync(after, "true", "id", "asc", page, size, ct), cancellationToken);
    }

    /// <summary>Reads one order (<c>GET /orders/{id}</c>).</summary>
    /// <param name="orderId">The order's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order, or <see langword="null"/> when the store has none with that id (404).</returns>
    public Task<WooOrder?> GetOrderAsync(long orderId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(orderId, 1);
        return PlatformReads.OrNullWhenMissingAsync(ct => _api().GetOrderAsync(orderId, ct), cancellationToken: cancellationToken);
    }

    /// <summary>Reads an order's refunds in full (<c>GET /orders/{id}/refunds</c>): amounts, reasons, and the lines refunded.</summary>
    /// <param name="orderId">The order's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<WooRefund>> GetRefundsAsync(long orderId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(orderId, 1);
        var refunds = new List<WooRefund>();
        await foreach (var refund in ListAsync((page, size, ct) => _api().ListRefundsAsync(orderId, page, size, ct), cancellationToken).ConfigureAwait(false))
        {
            refunds.Add(refund);
        }

        return refunds;
    }

    /// <summary>Reads one product with its stock (<c>GET /products/{id}</c>).</summary>
    /// <param name="productId">The product's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The product, or <see langword="null"/> when the store has none with that id (404).</returns>
    public Task<WooProduct?> GetProductAsync(long productId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(productId, 1);
        return PlatformReads.OrNullWhenMissingAsync(ct => _api().GetProductAsync(productId, ct), cancellationToken: cancellationToken);
    }

    /// <summary>Finds the product with a SKU (<c>GET /products?sku=…</c>); SKUs are unique in a store.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The product, or <see langword="null"/> when none has that SKU.</returns>
    public async Task<WooProduct?> FindProductBySkuAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var wanted = sku.Trim();
        await foreach (var product in ListAsync((page, size, ct) => _api().ListProductsAsync(wanted, null, page, size, ct), cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(product.Sku, wanted, StringComparison.Ordinal))
            {
                return product;
            }
        }

        return null;
    }

    /// <summary>Streams a variable product's variations with their stock (<c>GET /products/{id}/variations</c>).</summary>
    /// <param name="productId">The product's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<WooProductVariation> GetVariationsAsync(long productId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(productId, 1);
        return ListAsync((page, size, ct) => _api().ListVariationsAsync(productId, null, page, size, ct), cancellationToken);
    }

    /// <summary>Finds a product's variation by SKU (<c>GET /products/{id}/variations?sku=…</c>).</summary>
    /// <param name="productId">The parent product's id.</param>
    /// <param name="sku">The variation's SKU.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The variation, or <see langword="null"/> when none of the product's variations has that SKU.</returns>
    public async Task<WooProductVariation?> FindVariationBySkuAsync(long productId, string sku, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(productId, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var wanted = sku.Trim();
        await foreach (var variation in ListAsync((page, size, ct) => _api().ListVariationsAsync(productId, wanted, page, size, ct), cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(variation.Sku, wanted, StringComparison.Ordinal))
            {
                return variation;
            }
        }

        return null;
    }

    /// <summary>Finds the customer with an email address (<c>GET /customers?email=…&amp;role=all</c>), compared case-insensitively.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The customer, or <see langword="null"/> when none has that address (a guest order has no customer).</returns>
    public async Task<WooCustomer?> FindCustomerByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var wanted = email.Trim();
        await foreach (var customer in ListAsync((page, size, ct) => _api().ListCustomersAsync(wanted, "all", page, size, ct), cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(customer.Email, wanted, StringComparison.OrdinalIgnoreCase))
            {
                return customer;
            }
        }

        return null;
    }

    /// <summary>The checkpoint after an order: its <c>date_modified_gmt</c> (UTC, to the second) and its id, <c>2026-12-05T10:00:00Z|123</c>.</summary>
    /// <param name="order">The order.</param>
    /// <exception cref="ArgumentException">The order has no <c>date_modified_gmt</c>.</exception>
    public static string OrderCheckpoint(WooOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var modified = order.DateModifiedGmt ?? throw new ArgumentException($"WooCommerce order {order.Id} has no date_modified_gmt.", nameof(order));
        return FormatGmt(modified) + "Z|" + order.Id.ToString(CultureInfo.InvariantCulture);
    }

    private async IAsyncEnumerable<SourceRecord<WooOrder>> ReadOrdersAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = ParseCheckpoint(checkpoint);
        var last = from;
        WooOrder? held = null;
        await foreach (var order in GetOrdersModifiedAfterAsync(from?.Modified - _options.ModifiedOverlap, cancellationToken).ConfigureAwait(false))
        {
            var modified = order.DateModifiedGmt
                ?? throw PlatformException.InvalidResponse(ConnectorName, $"order {order.Id} has no date_modified_gmt");
            var at = (Modified: Truncate(modified), order.Id);
            if (from is { } f && at == f)
            {
                continue; // this order, in this version, ended the previous read
            }

            if (last is not { } l || at.Modified > l.Modified || (at.Modified == l.Modified && at.Id > l.Id))
            {
                last = at;
            }

            if (held is not null)
            {
                yield return new SourceRecord<WooOrder>(held, null);
            }

            held = order;
        }

        if (held is not null)
        {
            var end = last!.Value;
            yield return new SourceRecord<WooOrder>(held, FormatGmt(end.Modified) + "Z|" + end.Id.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static (DateTimeOffset Modified, long Id)? ParseCheckpoint(string? checkpoint)
    {
        if (string.IsNullOrEmpty(checkpoint))
        {
            return null;
        }

        var bar = checkpoint.IndexOf('|', StringComparison.Ordinal);
        if (bar > 0
            && DateTimeOffset.TryParse(checkpoint[..bar], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var modified)
            && long.TryParse(checkpoint[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (Truncate(modified), id);
        }

        throw new FormatException($"The WooCommerce orders checkpoint '{checkpoint}' is not '<date_modified_gmt>|<order id>' (for example 2026-12-05T10:00:00Z|123).");
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string FormatGmt(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Pages a list by <c>page</c>/<c>per_page</c> until <c>X-WP-TotalPages</c> (or a short page when the header is missing).</summary>
    private IAsyncEnumerable<T> ListAsync<T>(Func<int, int, CancellationToken, Task<IApiResponse<List<T?>>>> fetch, CancellationToken cancellationToken)
        where T : class
    {
        var size = _options.PageSize;
        return Paging.ByCursorAsync<T>(ConnectorName, async (cursor, ct) =>
        {
            var page = cursor is null ? 1 : int.Parse(cursor, CultureInfo.InvariantCulture);
            using var response = await fetch(page, size, ct).ConfigureAwait(false);
            if (response.Error is { } error)
            {
                throw PlatformException.InvalidResponse(ConnectorName, $"a list page could not be read: {error.Message}");
            }

            var items = response.Content ?? [];
            int? totalPages = response.Headers is { } headers && headers.TryGetValues(TotalPagesHeader, out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages
                : null;
            var more = totalPages is { } total ? page < total : items.Count >= size;
            if (more && items.Count == 0)
            {
                throw PlatformException.InvalidResponse(ConnectorName, $"page {page} is empty while {TotalPagesHeader} says {totalPages} pages");
            }

            return new Page<T>(items, more ? (page + 1).ToString(CultureInfo.InvariantCulture) : null);
        }, cancellationToken);
    }
}
