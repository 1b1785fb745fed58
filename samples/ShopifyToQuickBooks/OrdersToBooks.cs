using System.Collections.Concurrent;
using Integrations.Sdk;
using Integrations.Sdk.Books;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ShopifyToQuickBooks;

/// <summary>One thing a store order books: its sale (<see cref="RefundId"/> <see langword="null"/>) or one of its refunds.</summary>
/// <param name="Order">The order, as last read.</param>
/// <param name="RefundId">The refund's id, or <see langword="null"/> for the sale.</param>
public sealed record StoreBooksEvent(StoreOrder Order, string? RefundId = null)
{
    /// <summary>Whether this is the sale (an invoice and its payment) rather than a refund (a credit note).</summary>
    public bool IsSale => RefundId is null;
}

/// <summary>An event with what it books, planned by <see cref="StoreToBooks"/>.</summary>
/// <param name="Event">The event.</param>
/// <param name="Customer">The books customer.</param>
/// <param name="Document">The invoice (sale) or credit note (refund), its items still to resolve.</param>
/// <param name="Sale">For a sale, the whole plan (with the payment).</param>
public sealed record PlannedBooksEvent(StoreBooksEvent Event, BooksCustomerDraft Customer, BooksDocumentPlan Document, BooksSalePlan? Sale);

/// <summary>
/// The one sync of scenario 1 for every store and every books: each store order that took money becomes an invoice
/// for the right customer (tax-exclusive lines with the tax the store charged, discounts, shipping, categories), its
/// payment when paid, and a credit note for each refund, naming the invoice and booked after it; never twice. Choose the platforms by
/// their connector names: <c>shopify</c> or <c>woocommerce</c> into <c>quickbooks</c> or <c>xero</c>.
/// </summary>
public static class OrdersToBooks
{
    /// <summary>The sync's name: it keys the step memo, the checkpoint and the dead letters.</summary>
    public const string SyncName = "store-orders-to-books";

    /// <summary>Registers the sync.</summary>
    /// <param name="integrations">The integrations builder, with the store and the books connectors added.</param>
    /// <param name="store">The store's connector name (its keyed <see cref="IStoreConnector"/>): <c>shopify</c> or <c>woocommerce</c>.</param>
    /// <param name="books">The books' connector name (its keyed <see cref="IBooksConnector"/>): <c>quickbooks</c> or <c>xero</c>.</param>
    /// <param name="rules">How orders are booked: tax codes, categories, accounts, currency.</param>
    /// <param name="concurrency">Events processed at once.</param>
    /// <exception cref="ArgumentException">A name is empty, or the rules are not valid (the message names each entry at fault).</exception>
    public static IIntegrationsBuilder AddOrdersToBooks(this IIntegrationsBuilder integrations, string store, string books, BooksPostingRules rules, int concurrency = 8)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(books);
        var planner = new StoreToBooks(rules);
        integrations.Services.TryAddKeyedSingleton(books, static (sp, key) => new BooksItemCatalog(sp.GetRequiredKeyedService<IBooksConnector>(key)));
        IBooksConnector Books(IServiceProvider sp) => sp.GetRequiredKeyedService<IBooksConnector>(books);

        return integrations.AddSync<StoreBooksEvent>(SyncName, sync => sync
            .FromIncremental(sp => sp.GetRequiredKeyedService<IStoreConnector>(store).Orders.SelectMany(Events))
            .Key(e => e.IsSale ? $"{store}:order:{e.Order.Id}" : $"{store}:order:{e.Order.Id}:refund:{e.RefundId}")
            .WithOrderingKey(e => $"{store}:order:{e.Order.Id}") // an order's refunds wait for its sale
            .WithConcurrency(concurrency)
            .WithStepRetries(3, TimeSpan.FromMilliseconds(200))
            .Map(e => Plan(planner, e))
            .Step("customer", sp => Books(sp).FindOrCreateCustomer, (p, _) => p.Customer)
            .Step("items", WriteSafety.ReadOnly, (p, step, ct) =>
            {
                var catalog = step.Services.GetRequiredKeyedService<BooksItemCatalog>(books);
                return StoreToBooks.ResolveItemsAsync(p.Document, catalog.FindAsync, ct);
            })
            .When(
                "sale",
                p => p.Event.IsSale,
                sale => sale
                    .Step("invoice", sp => Books(sp).CreateInvoice, (p, step) => p.Document.ToInvoice(CustomerId(step), Items(step)))
                    .When("paid", p => p.Sale!.IsPaid, paid => paid
                        .Step("payment", sp => Books(sp).RecordPayment, (p, step) => p.Sale!.ToPayment(step.ResultOf<BooksDocument>("invoice").Id)!)),
                refund => refund
                    .Step("original-invoice", WriteSafety.ReadOnly, (p, step, ct) => OriginalInvoiceAsync(Books(step.Services), p, step, ct))
                    .Step("credit-note", sp => Books(sp).CreateCreditNote, (p, step) => p.Document.ToCreditNote(CustomerId(step), Items(step)))));
    }

    /// <summary>
    /// The events of an order as read: its sale when it took money, then each refund that gives something back. An
    /// order read again after a refund yields its sale again, which the step memo skips.
    /// </summary>
    /// <param name="order">The order.</param>
    public static IEnumerable<StoreBooksEvent> Events(StoreOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!StoreToBooks.TookMoney(order))
        {
            yield break; // not paid yet (it is read again when it is) or voided: nothing to book
        }

        yield return new StoreBooksEvent(order);
        foreach (var refund in order.Refunds)
        {
            if (StoreToBooks.Credits(refund))
            {
                yield return new StoreBooksEvent(order, refund.Id);
            }
        }
    }

    /// <summary>Plans an event's documents; what cannot be booked dead-letters it, naming the order's field at fault.</summary>
    private static PlannedBooksEvent Plan(StoreToBooks planner, StoreBooksEvent e)
    {
        if (e.IsSale)
        {
            var sale = planner.PlanSale(e.Order);
            return new PlannedBooksEvent(e, sale.Customer, sale.Invoice, sale);
        }

        return new PlannedBooksEvent(e, planner.Customer(e.Order), planner.PlanRefund(e.Order, e.RefundId!), null);
    }

    /// <summary>
    /// The invoice a refund credits: a credit note is only booked against an invoice the books hold, so a refund whose
    /// sale could not be booked waits in the dead letters with it instead of crediting nothing.
    /// </summary>
    private static async Task<BooksDocument> OriginalInvoiceAsync(IBooksConnector books, PlannedBooksEvent planned, StepContext step, CancellationToken cancellationToken)
    {
        var number = planned.Document.OriginalInvoiceNumber!;
        var invoice = await books.FindInvoiceByNumberAsync(number, cancellationToken).ConfigureAwait(false);
        if (invoice is null)
        {
            step.Reject($"the books have no invoice {number} for order {planned.Event.Order.Id}: its sale was not booked (see its dead letter); book it, then replay this refund");
        }

        return invoice!;
    }

    private static string CustomerId(StepContext step) => step.ResultOf<BooksCustomer>("customer").Id;

    private static Dictionary<string, string> Items(StepContext step) => step.ResultOf<Dictionary<string, string>>("items");
}

/// <summary>The books' items by SKU, looked up once per process (a SKU that is missing is asked again next time).</summary>
/// <param name="books">The books.</param>
public sealed class BooksItemCatalog(IBooksConnector books)
{
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    /// <summary>Returns the item id of a SKU, or <see langword="null"/> when the books have no such item.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<string?> FindAsync(string sku, CancellationToken cancellationToken)
    {
        if (_ids.TryGetValue(sku, out var id))
        {
            return id;
        }

        var item = await books.FindItemBySkuAsync(sku, cancellationToken).ConfigureAwait(false);
        return item?.Id is { Length: > 0 } found ? _ids.GetOrAdd(sku, found) : null;
    }
}
