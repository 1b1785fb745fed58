using Integrations.Sdk.Books;
using Integrations.Sdk.Connectors;

namespace Integrations.Sdk.Tests.Categories;

/// <summary>Books that only answer reads: a company, tax codes, accounts, classes and items with a quantity on hand.</summary>
internal sealed class FakeBooks : IBooksConnector
{
    public BooksCompany Company { get; set; } = new() { Name = "Fake Books", HomeCurrency = "USD" };

    public List<BooksTaxCode> TaxCodes { get; } = [];

    public List<BooksAccount> Accounts { get; } = [];

    public List<BooksClass> Classes { get; } = [];

    public Dictionary<string, decimal> OnHand { get; } = [];

    public int ClassReads { get; private set; }

    public string Platform => "fake-books";

    public ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer> FindOrCreateCustomer => throw new NotSupportedException();

    public ISinkOperation<BooksInvoiceDraft, BooksDocument> CreateInvoice => throw new NotSupportedException();

    public ISinkOperation<BooksCreditNoteDraft, BooksDocument> CreateCreditNote => throw new NotSupportedException();

    public ISinkOperation<BooksPaymentDraft, BooksPayment> RecordPayment => throw new NotSupportedException();

    public Task<BooksItem?> FindItemBySkuAsync(string sku, CancellationToken cancellationToken = default) =>
        Task.FromResult(OnHand.TryGetValue(sku, out var quantity) ? new BooksItem { Id = "id-" + sku, Sku = sku, TracksQuantity = true, QuantityOnHand = quantity } : null);

    public Task<BooksCompany> GetCompanyAsync(CancellationToken cancellationToken = default) => Task.FromResult(Company);

    public Task<IReadOnlyList<BooksTaxCode>> GetTaxCodesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<BooksTaxCode>>(TaxCodes);

    public Task<IReadOnlyList<BooksAccount>> GetAccountsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<BooksAccount>>(Accounts);

    public Task<IReadOnlyList<BooksClass>> GetClassesAsync(CancellationToken cancellationToken = default)
    {
        ClassReads++;
        return Task.FromResult<IReadOnlyList<BooksClass>>(Classes);
    }

    public Task<BooksDocument?> FindInvoiceByNumberAsync(string number, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
