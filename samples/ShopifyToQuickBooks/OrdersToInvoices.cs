using Integrations.Sdk;
using Integrations.Sdk.Books;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.Shopify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ShopifyToQuickBooks;

/// <summary>The invoice header a Shopify order maps to (before the QuickBooks ids are known).</summary>
public sealed class InvoiceHeader
{
    public string CustomerEmail { get; set; } = "";

    public string CustomerName { get; set; } = "";

    public string DocNumber { get; set; } = "";

    public DateOnly TxnDate { get; set; }

    public string Currency { get; set; } = "";

    public string ShopifyOrderId { get; set; } = "";
}

/// <summary>One invoice line a Shopify line item maps to.</summary>
public sealed class InvoiceLine
{
    public string Sku { get; set; } = "";

    public decimal Qty { get; set; }

    public decimal UnitPrice { get; set; }

    public string? Description { get; set; }
}

/// <summary>A Shopify order mapped for QuickBooks.</summary>
public sealed record MappedOrder(ShopifyOrder Order, InvoiceHeader Header, IReadOnlyList<InvoiceLine> Lines);

/// <summary>
/// The sync of the first scenario: a paid Shopify order becomes one QuickBooks invoice for the right customer,
/// its lines on the QuickBooks items with the same SKU (so revenue lands on each item's income account and
/// QuickBooks reduces the stock it tracks), never twice.
/// </summary>
public static class OrdersToInvoices
{
    /// <summary>The sync's name: it keys the step memo, the checkpoint and the dead letters.</summary>
    public const string SyncName = "shopify-orders-to-quickbooks-invoices";

    /// <summary>How an order's header maps (shown in the docs and the run report).</summary>
    public static readonly Mapper<ShopifyOrder, InvoiceHeader> Header = Mapper.Create<ShopifyOrder, InvoiceHeader>(m => m
        .Field(h => h.CustomerEmail, o => o.Email, "trim, lowercase", e => e!.Trim().ToLowerInvariant()).Required()
        .Field(h => h.CustomerName, o => o.Customer, "\"first last (email)\"", c => DisplayName(c))
        .Field(h => h.DocNumber, o => o.Name, "strip #", n => n.TrimStart('#'))
        .Field(h => h.TxnDate, o => o.CreatedAt, "date (UTC)", d => DateOnly.FromDateTime(d.UtcDateTime))
        .Field(h => h.Currency, o => o.CurrencyCode).Required()
        .Field(h => h.ShopifyOrderId, o => o.Id));

    /// <summary>How a line item maps.</summary>
    public static readonly Mapper<ShopifyLineItem, InvoiceLine> Line = Mapper.Create<ShopifyLineItem, InvoiceLine>(m => m
        .Field(l => l.Sku, li => li.Sku, "trim", s => s!.Trim()).Required()
        .Field(l => l.Qty, li => li.Quantity, "to decimal", q => (decimal)q)
        .Field(l => l.UnitPrice, li => li.UnitPrice)
        .Field(l => l.Description, li => li.Title));

    /// <summary>Registers the sync.</summary>
    /// <param name="integrations">The integrations builder, with Shopify and QuickBooks added.</param>
    /// <param name="concurrency">Orders processed at once.</param>
    /// <param name="salesReceiptsForPaidOrders">Record paid orders as sales receipts instead of invoices.</param>
    public static IIntegrationsBuilder AddOrdersToInvoices(this IIntegrationsBuilder integrations, int concurrency = 8, bool salesReceiptsForPaidOrders = false)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        integrations.Services.TryAddKeyedSingleton(QuickBooksConnector.ConnectorName, static (sp, key) => new BooksItemCatalog(sp.GetRequiredKeyedService<IBooksConnector>(key)));
        return integrations.AddSync<ShopifyOrder>(SyncName, sync =>
        {
            var steps = sync
                .FromIncremental<ShopifyConnector>(shopify => shopify.Orders)
                .Key(order => $"shopify:order:{order.Id[(order.Id.LastIndexOf('/') + 1)..]}")
                .Where(order => order.DisplayFinancialStatus == "PAID")
                .WithConcurrency(concurrency)
                .WithStepRetries(3, TimeSpan.FromMilliseconds(200))
                .Map(Map)
                .Step("items", Integrations.Sdk.Connectors.WriteSafety.ReadOnly, ResolveItemsAsync)
                .Step("customer", sp => sp.GetRequiredService<QuickBooksConnector>().FindOrCreateCustomer,
                    (mapped, _) => new QboCustomerDraft { DisplayName = mapped.Header.CustomerName, Email = mapped.Header.CustomerEmail });
            if (salesReceiptsForPaidOrders)
            {
                steps.Step("sales-receipt", sp => sp.GetRequiredService<QuickBooksConnector>().CreateSalesReceipt, ToSalesReceipt);
            }
            else
            {
                steps.Step("invoice", sp => sp.GetRequiredService<QuickBooksConnector>().CreateInvoice, ToInvoice);
            }
        });
    }

    /// <summary>Maps an order; every field at fault is named, lines as <c>LineItems[i].Sku</c>.</summary>
    public static MappedOrder Map(ShopifyOrder order)
    {
        var errors = new List<MappingError>();
        InvoiceHeader? header = null;
        try
        {
            header = Header.Map(order);
        }
        catch (MappingValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        var lines = new List<InvoiceLine>();
        for (var i = 0; i < order.LineItems.Count; i++)
        {
            try
            {
                lines.Add(Line.Map(order.LineItems[i]));
            }
            catch (MappingValidationException ex)
            {
                errors.AddRange(ex.Errors.Select(e => e with { SourcePath = $"LineItems[{i}].{e.SourcePath}" }));
            }
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add(new MappingError("LineItems", "Line", "the order has no line items"));
        }

        if (errors.Count > 0)
        {
            throw new MappingValidationException(nameof(ShopifyOrder), "QuickBooks invoice", errors);
        }

        if (header!.CustomerName.Length == 0)
        {
            header.CustomerName = header.CustomerEmail;
        }

        return new MappedOrder(order, header, lines);
    }

    /// <summary>Finds the QuickBooks item of every SKU; an unknown SKU fails the record, naming it, for a person to add and replay.</summary>
    private static async Task<Dictionary<string, string>> ResolveItemsAsync(MappedOrder mapped, StepContext step, CancellationToken cancellationToken)
    {
        var catalog = step.Services.GetRequiredKeyedService<BooksItemCatalog>(QuickBooksConnector.ConnectorName);
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<MappingError>();
        for (var i = 0; i < mapped.Lines.Count; i++)
        {
            var sku = mapped.Lines[i].Sku;
            if (items.ContainsKey(sku))
            {
                continue;
            }

            var id = await catalog.FindAsync(sku, cancellationToken).ConfigureAwait(false);
            if (id is not null)
            {
                items[sku] = id;
            }
            else
            {
                missing.Add(new MappingError($"LineItems[{i}].Sku", "ItemRef", $"no QuickBooks item has the SKU '{sku}'; add it in QuickBooks, then replay the order"));
            }
        }

        return missing.Count > 0 ? throw new MappingValidationException(nameof(ShopifyOrder), "QuickBooks items", missing) : items;
    }

    private static QboInvoiceDraft ToInvoice(MappedOrder mapped, StepContext step) => new()
    {
        CustomerId = step.ResultOf<QboCustomer>("customer").Id ?? throw new InvalidOperationException("QuickBooks returned a customer without an id."),
        Lines = Lines(mapped, step),
        DocNumber = mapped.Header.DocNumber,
        TxnDate = mapped.Header.TxnDate,
        CurrencyCode = mapped.Header.Currency,
        PrivateNote = $"Shopify order {mapped.Header.ShopifyOrderId}",
    };

    private static QboSalesReceiptDraft ToSalesReceipt(MappedOrder mapped, StepContext step) => new()
    {
        CustomerId = step.ResultOf<QboCustomer>("customer").Id,
        Lines = Lines(mapped, step),
        DocNumber = mapped.Header.DocNumber,
        TxnDate = mapped.Header.TxnDate,
        CurrencyCode = mapped.Header.Currency,
        PrivateNote = $"Shopify order {mapped.Header.ShopifyOrderId}",
    };

    private static List<QboLineDraft> Lines(MappedOrder mapped, StepContext step)
    {
        var items = step.ResultOf<Dictionary<string, string>>("items");
        return [.. mapped.Lines.Select(l => new QboLineDraft { ItemId = items[l.Sku], Qty = l.Qty, UnitPrice = l.UnitPrice, Amount = l.Qty * l.UnitPrice, Description = l.Description })];
    }

    /// <summary>QuickBooks display names are unique: the email keeps two people of the same name apart.</summary>
    private static string DisplayName(ShopifyCustomer? customer)
    {
        var name = $"{customer?.FirstName} {customer?.LastName}".Trim();
        var email = customer?.Email?.Trim().ToLowerInvariant();
        return name.Length == 0 ? email ?? string.Empty : email is null ? name : $"{name} ({email})";
    }
}
