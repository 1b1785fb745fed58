using Integrations.Sdk.Books;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stores;

namespace Integrations.Sdk.Tests.Categories;

/// <summary>The stock check compares the store's quantities with the books' quantity on hand, SKU by SKU.</summary>
public sealed class StockCheckTests
{
    [Fact]
    public async Task CompareAsync_ReturnsOnlyTheSkusWhoseQuantitiesDiffer_IncludingOnesOneSideLacks()
    {
        var store = new FakeStore(new() { ["SH-1"] = 7, ["MUG-1"] = 3, ["CAP-1"] = 4 });
        var books = new FakeBooks { OnHand = { ["SH-1"] = 7, ["MUG-1"] = 2, ["HAT-1"] = 1 } };

        var differences = await StockCheck.CompareAsync(store, books, ["SH-1", "MUG-1", "CAP-1", "HAT-1", "SH-1"]);

        differences.Should().Equal(new StockDifference("MUG-1", 3, 2), new StockDifference("CAP-1", 4, null), new StockDifference("HAT-1", null, 1));
        store.Asked.Should().Equal("SH-1", "MUG-1", "CAP-1", "HAT-1");
    }

    private sealed class FakeStore(Dictionary<string, decimal> stock) : IStoreConnector
    {
        public List<string> Asked { get; } = [];

        public string Platform => "fake-store";

        public IRecordSource<StoreOrder> Orders => throw new NotSupportedException();

        public Task<StoreOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StoreCustomer?> FindCustomerByEmailAsync(string email, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<decimal?> GetStockAsync(string sku, CancellationToken cancellationToken = default)
        {
            Asked.Add(sku);
            return Task.FromResult(stock.TryGetValue(sku, out var quantity) ? quantity : (decimal?)null);
        }
    }
}
