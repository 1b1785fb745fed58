using Integrations.Sdk.Stores;

namespace Integrations.Sdk.Books;

/// <summary>A SKU whose quantity the store and the books do not agree on.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Store">The store's quantity (<see cref="IStoreConnector.GetStockAsync"/>); <see langword="null"/> when the store has no such SKU or does not track it.</param>
/// <param name="Books">The books' quantity on hand; <see langword="null"/> when the books have no such item or do not track it.</param>
public sealed record StockDifference(string Sku, decimal? Store, decimal? Books);

/// <summary>
/// Compares the store's stock with the books' quantity on hand after a sync: sales take both down and restocking
/// refunds put both back, so they should agree for every tracked item.
/// </summary>
public static class StockCheck
{
    /// <summary>Returns the SKUs whose store and books quantities differ, in the order given.</summary>
    /// <param name="store">The store.</param>
    /// <param name="books">The books.</param>
    /// <param name="skus">The SKUs to compare (each once).</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>The differences; empty when all agree.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async Task<IReadOnlyList<StockDifference>> CompareAsync(
        IStoreConnector store, IBooksConnector books, IEnumerable<string> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(books);
        ArgumentNullException.ThrowIfNull(skus);
        var differences = new List<StockDifference>();
        foreach (var sku in skus.Distinct(StringComparer.Ordinal))
        {
            var inStore = await store.GetStockAsync(sku, cancellationToken).ConfigureAwait(false);
            var item = await books.FindItemBySkuAsync(sku, cancellationToken).ConfigureAwait(false);
            var inBooks = item?.QuantityOnHand;
            if (inStore != inBooks)
            {
                differences.Add(new StockDifference(sku, inStore, inBooks));
            }
        }

        return differences;
    }
}
