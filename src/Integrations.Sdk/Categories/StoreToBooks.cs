using System.Globalization;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Stores;

namespace Integrations.Sdk.Books;

/// <summary>
/// Plans the books documents of a store order, for any store and any books: the customer, the invoice, a credit note
/// per refund and the payment, as an accountant books them. Documents are tax-exclusive with the tax as the store
/// charged it (prices including tax are split exactly from the store's figures); item lines show the list price and
/// each discount is a line of its own; shipping is a line on the shipping account; taxes, income accounts and classes
/// come from the <see cref="BooksPostingRules"/> tables. Whatever cannot be booked (a tax with no rule, a guest without
/// email, a currency without a rate, totals that do not add up) throws a <see cref="MappingValidationException"/> that
/// names the order's field at fault, so a sync dead-letters the order with a reason a person can act on.
/// </summary>
/// <remarks>Thread-safe: it copies the rules when created, so changing them later does not change it.</remarks>
public sealed class StoreToBooks
{
    private const string Source = nameof(StoreOrder);
    private readonly TaxCodeRule[] _taxCodes;
    private readonly CategoryRule[] _categories;
    private readonly Dictionary<string, decimal> _rates;
    private readonly string _home;
    private readonly string? _noTax;
    private readonly string? _shippingAccount;
    private readonly string? _discountAccount;
    private readonly string? _refundAccount;
    private readonly string? _paymentAccount;
    private readonly string _prefix;
    private readonly TimeZoneInfo _timeZone;
    private readonly string? _nonStockSku;

    /// <summary>Creates the planner.</summary>
    /// <param name="rules">The posting rules; checked with <see cref="BooksPostingRules.Validate"/>.</param>
    /// <exception cref="ArgumentException">The rules are not valid; the message names every entry at fault.</exception>
    public StoreToBooks(BooksPostingRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        _taxCodes = [.. rules.TaxCodes];
        _categories = [.. rules.Categories];
        _rates = new Dictionary<string, decimal>(rules.ExchangeRates, StringComparer.OrdinalIgnoreCase);
        _home = rules.HomeCurrency.ToUpperInvariant();
        (_noTax, _shippingAccount, _discountAccount, _refundAccount, _paymentAccount) =
            (rules.NoTaxCodeId, rules.ShippingAccountId, rules.DiscountAccountId, rules.RefundAccountId, rules.PaymentAccountId);
        _prefix = rules.DocumentNumberPrefix ?? string.Empty;
        _timeZone = rules.TimeZone ?? TimeZoneInfo.Utc;
        _nonStockSku = string.IsNullOrWhiteSpace(rules.NonStockItemSku) ? null : rules.NonStockItemSku.Trim();
    }

    /// <summary>
    /// Whether the order was paid in full (maybe refunded since), so it is invoiced and its payment recorded. A partially
    /// paid order is booked once it is paid in full: its sale is booked once, so booking it earlier would leave the rest
    /// of its payment unrecorded.
    /// </summary>
    /// <param name="order">The order.</param>
    public static bool TookMoney(StoreOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.PaymentStatus is StorePaymentStatus.Paid or StorePaymentStatus.PartiallyRefunded or StorePaymentStatus.Refunded;
    }

    /// <summary>Whether a refund gives anything back to put on a credit note: money, or goods back into stock.</summary>
    /// <param name="refund">The refund.</param>
    public static bool Credits(StoreRefund refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return refund.Amount != 0 || refund.Shipping != 0 || refund.Lines.Any(static l => l.Quantity != 0 || l.Subtotal != 0);
    }

    /// <summary>The invoice number of an order: <see cref="BooksPostingRules.DocumentNumberPrefix"/> and the order number.</summary>
    /// <param name="order">The order.</param>
    public string InvoiceNumber(StoreOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return _prefix + order.Number;
    }

    /// <summary>
    /// The books customer of an order, named <c>first last (email)</c> (QuickBooks and Xero names are unique, and the
    /// email keeps two people of the same name apart), or by the email alone when the order has no name; its
    /// <see cref="BooksCustomerDraft.Currency"/> is the order's.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <exception cref="MappingValidationException">The order has no email address (<c>Email</c>).</exception>
    public BooksCustomerDraft Customer(StoreOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = new List<MappingError>();
        var customer = CustomerOf(order, errors);
        return customer ?? throw new MappingValidationException(Source, "books customer", errors);
    }

    /// <summary>Plans what an order that took money books: its customer, its invoice and, when paid, its payment.</summary>
    /// <param name="order">The order.</param>
    /// <exception cref="MappingValidationException">The order cannot be booked; every field at fault is named.</exception>
    public BooksSalePlan PlanSale(StoreOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = new List<MappingError>();
        var customer = CustomerOf(order, errors);
        var rate = RateOf(order, errors);
        var lines = new List<BooksPlannedLine>();
        for (var i = 0; i < order.Lines.Count; i++)
        {
            PlanLine(order, i, lines, errors);
        }

        var (_, orderClass) = CategoryOf(order, productType: null, sku: null);
        for (var k = 0; k < order.ShippingLines.Count; k++)
        {
            var shipping = order.ShippingLines[k];
            var path = $"ShippingLines[{k}]";
            var tax = shipping.Taxes.Sum(static t => t.Amount);
            var gross = shipping.Amount - shipping.Discount;
            var net = order.PricesIncludeTax ? gross - tax : gross;
            if (net == 0 && tax == 0)
            {
                continue;
            }

            lines.Add(new BooksPlannedLine(
                new BooksLine
                {
                    Kind = BooksLineKind.Shipping,
                    Description = shipping.Title,
                    UnitPrice = net,
                    Amount = net,
                    TaxAmount = tax,
                    TaxCodeId = TaxCodeOf(shipping.Taxes, path, shipping.Title, errors),
                    AccountId = _shippingAccount,
                    ClassId = orderClass,
                },
                null,
                path));
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add(new MappingError("Lines", "Lines", "the order has no line with an amount to invoice"));
        }

        var invoice = new BooksDocumentPlan
        {
            Number = InvoiceNumber(order),
            Date = DateOf(order.CreatedAt),
            Currency = order.Currency?.ToUpperInvariant() ?? string.Empty,
            ExchangeRate = rate,
            Lines = lines,
            Reference = $"{order.Platform} #{order.Number}",
            Memo = $"{order.Platform} order {order.Id}",
        };
        if (errors.Count == 0 && invoice.Total != order.Total)
        {
            errors.Add(new MappingError("Total", "Total", Invariant(
                $"the order's lines, shipping, discounts and taxes add up to {invoice.Total} but the store says it charged {order.Total} (a tip, fee, gift card or duty the store model does not carry?): the invoice would not match the payment; book it by hand")));
        }

        ThrowIfAny(errors, "books invoice");
        return new BooksSalePlan
        {
            Customer = customer!,
            Invoice = invoice,
            Payment = TookMoney(order)
                ? new BooksPaymentDraft
                {
                    InvoiceId = string.Empty,
                    Amount = order.Total,
                    Date = invoice.Date,
                    Currency = invoice.Currency,
                    ExchangeRate = rate,
                    AccountId = _paymentAccount,
                    Reference = invoice.Reference,
                }
                : null,
        };
    }

    /// <summary>
    /// Plans the credit note of one of the order's refunds, numbered <c>&lt;invoice number&gt;-R&lt;n&gt;</c> (n: the
    /// refund's 1-based position in <see cref="StoreOrder.Refunds"/>). Lines that went back into stock are item lines
    /// (the books' quantity on hand rises); the others are lines on the category's income account or
    /// <see cref="BooksPostingRules.RefundAccountId"/>, without an item (no stock moves); refunded shipping is a
    /// shipping line; any amount the store does not explain by lines, shipping and tax is a line on
    /// <see cref="BooksPostingRules.RefundAccountId"/>.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <param name="refundId">The refund's <see cref="StoreRefund.Id"/>.</param>
    /// <exception cref="ArgumentException">The order has no refund with this id.</exception>
    /// <exception cref="MappingValidationException">The refund cannot be booked; every field at fault is named.</exception>
    public BooksDocumentPlan PlanRefund(StoreOrder order, string refundId)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(refundId);
        var index = -1;
        for (var r = 0; r < order.Refunds.Count && index < 0; r++)
        {
            index = order.Refunds[r].Id == refundId ? r : -1;
        }

        if (index < 0)
        {
            throw new ArgumentException($"Order {order.Id} (#{order.Number}) of {order.Platform} has no refund '{refundId}'.", nameof(refundId));
        }

        var refund = order.Refunds[index];
        var path = $"Refunds[{index}]";
        var errors = new List<MappingError>();
        var rate = RateOf(order, errors);
        var lines = new List<BooksPlannedLine>();
        for (var j = 0; j < refund.Lines.Count; j++)
        {
            PlanRefundLine(order, refund.Lines[j], $"{path}.Lines[{j}]", lines, errors);
        }

        var (_, orderClass) = CategoryOf(order, productType: null, sku: null);
        if (refund.Shipping != 0 || refund.ShippingTax != 0)
        {
            var shippingTaxes = order.ShippingLines.Count > 0 ? order.ShippingLines[0].Taxes : [];
            lines.Add(new BooksPlannedLine(
                new BooksLine
                {
                    Kind = BooksLineKind.Shipping,
                    Description = "Shipping refunded",
                    UnitPrice = refund.Shipping,
                    Amount = refund.Shipping,
                    TaxAmount = refund.ShippingTax,
                    TaxCodeId = TaxCodeOf(shippingTaxes, "ShippingLines[0]", "shipping", errors),
                    AccountId = _shippingAccount,
                    ClassId = orderClass,
                },
                null,
                $"{path}.Shipping"));
        }

        var explained = lines.Sum(static l => l.Line.Amount + l.Line.TaxAmount);
        var rest = refund.Amount - explained;
        if (rest != 0)
        {
            if (_refundAccount is null)
            {
                errors.Add(new MappingError($"{path}.Amount", "Lines", Invariant(
                    $"the refund returned {refund.Amount} but its lines, shipping and tax come to {explained}; set BooksPostingRules.RefundAccountId to book the {rest} left over, then replay")));
            }
            else
            {
                lines.Add(new BooksPlannedLine(
                    new BooksLine
                    {
                        Kind = BooksLineKind.Other,
                        Description = refund.Reason is null ? "Refund not itemised by the store" : $"Refund not itemised by the store: {refund.Reason}",
                        UnitPrice = rest,
                        Amount = rest,
                        TaxCodeId = _noTax,
                        AccountId = _refundAccount,
                        ClassId = orderClass,
                    },
                    _nonStockSku,
                    $"{path}.Amount"));
            }
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add(new MappingError(path, "Lines", "the refund gives back neither money nor goods: there is nothing to credit"));
        }

        ThrowIfAny(errors, "books credit note");
        var invoiceNumber = InvoiceNumber(order);
        return new BooksDocumentPlan
        {
            Number = $"{invoiceNumber}-R{index + 1}",
            Date = DateOf(refund.CreatedAt),
            Currency = order.Currency.ToUpperInvariant(),
            ExchangeRate = rate,
            Lines = lines,
            Reference = $"{order.Platform} #{order.Number} refund {refund.Id}",
            Memo = refund.Reason,
            OriginalInvoiceNumber = invoiceNumber,
        };
    }

    /// <summary>
    /// The revenue an order books in the home currency once synced: its invoice's (when it took money) less its credit
    /// notes', each rounded as <see cref="BooksDocumentPlan.ExpectedRevenue"/> says.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <exception cref="MappingValidationException">The order or a refund cannot be booked.</exception>
    public decimal ExpectedRevenue(StoreOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!TookMoney(order))
        {
            return 0m;
        }

        var revenue = PlanSale(order).Invoice.ExpectedRevenue;
        foreach (var refund in order.Refunds.Where(Credits))
        {
            revenue -= PlanRefund(order, refund.Id).ExpectedRevenue;
        }

        return revenue;
    }

    /// <summary>
    /// Finds the books item of every SKU of a planned document, with <paramref name="findItemId"/> (for example
    /// <c>(sku, ct) =&gt; books.FindItemBySkuAsync(sku, ct)</c> and its id, through a cache). A SKU the books lack
    /// fails with an error naming the line's <c>Sku</c>, for a person to add the item and replay.
    /// </summary>
    /// <param name="plan">The planned document.</param>
    /// <param name="findItemId">Returns the item id of a SKU, or <see langword="null"/> when the books have none.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>The item id of each SKU.</returns>
    /// <exception cref="MappingValidationException">Some SKU has no item in the books; every line is named.</exception>
    public static async Task<Dictionary<string, string>> ResolveItemsAsync(
        BooksDocumentPlan plan, Func<string, CancellationToken, Task<string?>> findItemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(findItemId);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sku in plan.Skus)
        {
            if (await findItemId(sku, cancellationToken).ConfigureAwait(false) is { Length: > 0 } id)
            {
                ids[sku] = id;
            }
            else
            {
                missing.Add(sku);
            }
        }

        return missing.Count == 0
            ? ids
            : throw new MappingValidationException(Source, "books items", [.. plan.Lines.Where(l => l.Sku is not null && missing.Contains(l.Sku)).Select(MissingItem)]);
    }

    internal static MappingError MissingItem(BooksPlannedLine line) => line.Line.Kind == BooksLineKind.Other
        ? new(line.SourcePath, "ItemId", $"the books have no item with the SKU '{line.Sku}' of BooksPostingRules.NonStockItemSku (an untracked service item for lines that move no stock); add it there, then replay the order")
        : new($"{line.SourcePath}.Sku", "ItemId", $"the books have no item with the SKU '{line.Sku}'; add it there, then replay the order");

    private DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _timeZone).DateTime);

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void ThrowIfAny(List<MappingError> errors, string target)
    {
        if (errors.Count > 0)
        {
            throw new MappingValidationException(Source, target, errors);
        }
    }

    private static BooksCustomerDraft? CustomerOf(StoreOrder order, List<MappingError> errors)
    {
        var email = (order.Email ?? order.Customer?.Email)?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email))
        {
            errors.Add(new MappingError("Email", "Customer.Email",
                "the order has no email address (a guest checkout without one): the books customer is found by email; add one to the order in the store, then replay"));
            return null;
        }

        var first = order.Customer?.FirstName?.Trim();
        var last = order.Customer?.LastName?.Trim();
        var name = $"{first} {last}".Trim();
        return new BooksCustomerDraft
        {
            Name = name.Length == 0 ? email : $"{name} ({email})",
            Email = email,
            FirstName = string.IsNullOrEmpty(first) ? null : first,
            LastName = string.IsNullOrEmpty(last) ? null : last,
            Currency = string.IsNullOrWhiteSpace(order.Currency) ? null : order.Currency.Trim().ToUpperInvariant(),
        };
    }

    private decimal? RateOf(StoreOrder order, List<MappingError> errors)
    {
        if (string.IsNullOrWhiteSpace(order.Currency))
        {
            errors.Add(new MappingError("Currency", "Currency", "the order has no currency"));
            return null;
        }

        if (string.Equals(order.Currency, _home, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // The store's stated rate is in the store's own currency per unit of the order's: it is a home-currency rate only
        // when the store keeps the books' home currency (a CAD shop's rate would book a USD company's EUR orders wrongly).
        if (order.ExchangeRate is > 0 and var stated && string.Equals(order.StoreCurrency, _home, StringComparison.OrdinalIgnoreCase))
        {
            return stated;
        }

        if (_rates.TryGetValue(order.Currency, out var rate))
        {
            return rate;
        }

        var why = order.ExchangeRate is > 0
            ? $"the store states a rate in {(string.IsNullOrWhiteSpace(order.StoreCurrency) ? "its own currency, which it does not name" : order.StoreCurrency)} (StoreCurrency), not in {_home}, and BooksPostingRules.ExchangeRates has none for {order.Currency}"
            : $"neither the store states a rate nor BooksPostingRules.ExchangeRates has one for {order.Currency}";
        errors.Add(new MappingError("Currency", "ExchangeRate",
            $"the order is in {order.Currency}, not the books' home currency {_home}, and {why}; add ExchangeRates[\"{order.Currency}\"] ({_home} per {order.Currency}), then replay"));
        return null;
    }

    private void PlanLine(StoreOrder order, int i, List<BooksPlannedLine> lines, List<MappingError> errors)
    {
        var line = order.Lines[i];
        var path = $"Lines[{i}]";
        var tax = line.Taxes.Sum(static t => t.Amount);
        if (line.Quantity == 0 && line.Discount == 0 && tax == 0)
        {
            return; // removed from the order: nothing sold
        }

        var taxCode = TaxCodeOf(line.Taxes, path, line.Title, errors);
        var (account, @class) = CategoryOf(order, line.ProductType, line.Sku);
        var gross = Cents(line.Quantity * line.UnitPrice);
        decimal listNet, discountNet;
        if (!order.PricesIncludeTax)
        {
            (listNet, discountNet) = (gross, line.Discount);
        }
        else
        {
            // The store's figures hold gross amounts and the tax on what was charged; split the discount's tax in the same
            // proportion, so list price less discount plus tax is exactly what the customer paid.
            var grossAfter = gross - line.Discount;
            var netAfter = grossAfter - tax;
            discountNet = line.Discount == 0 ? 0
                : grossAfter != 0 ? Cents(line.Discount * netAfter / grossAfter)
                : Cents(line.Discount / (1 + line.Taxes.Sum(static t => t.Rate)));
            listNet = netAfter + discountNet;
        }

        var sku = string.IsNullOrWhiteSpace(line.Sku) ? null : line.Sku.Trim();
        if (sku is null && account is null)
        {
            errors.Add(new MappingError($"{path}.Sku", "ItemId",
                $"the line '{line.Title}' has no SKU to find its books item by, and no CategoryRule gives it an income account to book it without one; give the product a SKU, or add a rule, then replay"));
        }

        var unitPrice = !order.PricesIncludeTax ? line.UnitPrice : line.Quantity == 0 ? listNet : Math.Round(listNet / line.Quantity, 6, MidpointRounding.AwayFromZero);
        lines.Add(new BooksPlannedLine(
            new BooksLine
            {
                Kind = sku is null ? BooksLineKind.Other : BooksLineKind.Item,
                Description = line.Title,
                Quantity = line.Quantity,
                UnitPrice = unitPrice,
                Amount = listNet,
                TaxAmount = tax,
                TaxCodeId = taxCode,
                AccountId = account,
                ClassId = @class,
            },
            sku ?? _nonStockSku,
            path));
        if (discountNet != 0)
        {
            // The tax charged after the discount is on the item line; the discount line carries the code, not tax of its own.
            var codes = string.Join(", ", order.Discounts.Select(static d => d.Code));
            lines.Add(new BooksPlannedLine(
                new BooksLine
                {
                    Kind = BooksLineKind.Discount,
                    Description = codes.Length == 0 ? $"Discount on {line.Title}" : $"Discount on {line.Title} ({codes})",
                    UnitPrice = discountNet,
                    Amount = discountNet,
                    TaxCodeId = taxCode,
                    AccountId = _discountAccount ?? account,
                    ClassId = @class,
                },
                null,
                $"{path}.Discount"));
        }
    }

    private void PlanRefundLine(StoreOrder order, StoreRefundLine refunded, string path, List<BooksPlannedLine> lines, List<MappingError> errors)
    {
        var i = -1;
        for (var k = 0; k < order.Lines.Count && i < 0; k++)
        {
            i = order.Lines[k].Id == refunded.LineId ? k : -1;
        }

        if (i < 0)
        {
            errors.Add(new MappingError($"{path}.LineId", "Lines", $"no line of the order has the id '{refunded.LineId}'"));
            return;
        }

        var line = order.Lines[i];
        var taxCode = TaxCodeOf(line.Taxes, $"Lines[{i}]", line.Title, errors);
        var sku = (refunded.Sku ?? line.Sku)?.Trim() is { Length: > 0 } s ? s : null;
        var (account, @class) = CategoryOf(order, line.ProductType, sku);
        var unitPrice = refunded.Quantity == 0 ? refunded.Subtotal : Math.Round(refunded.Subtotal / refunded.Quantity, 6, MidpointRounding.AwayFromZero);
        if (refunded.Restock && sku is not null)
        {
            lines.Add(new BooksPlannedLine(
                new BooksLine
                {
                    Kind = BooksLineKind.Item,
                    Description = $"{line.Title} (returned to stock)",
                    Quantity = refunded.Quantity,
                    UnitPrice = unitPrice,
                    Amount = refunded.Subtotal,
                    TaxAmount = refunded.Tax,
                    TaxCodeId = taxCode,
                    AccountId = account,
                    ClassId = @class,
                },
                sku,
                path));
            return;
        }

        var income = account ?? _refundAccount;
        if (income is null)
        {
            errors.Add(new MappingError(path, "AccountId",
                $"the refund of '{line.Title}' did not return goods to stock, so it is booked without an item, and neither a CategoryRule gives the line an income account nor BooksPostingRules.RefundAccountId is set; set one, then replay"));
            return;
        }

        lines.Add(new BooksPlannedLine(
            new BooksLine
            {
                Kind = BooksLineKind.Other,
                Description = $"{line.Title} (refunded, not returned to stock)",
                Quantity = refunded.Quantity == 0 ? 1 : refunded.Quantity,
                UnitPrice = refunded.Quantity == 0 ? refunded.Subtotal : unitPrice,
                Amount = refunded.Subtotal,
                TaxAmount = refunded.Tax,
                TaxCodeId = taxCode,
                AccountId = income,
                ClassId = @class,
            },
            _nonStockSku,
            path));
    }

    /// <summary>Income account and class: for each, the first matching rule that sets it. Shipping passes no product: rules on products do not match.</summary>
    private (string? Account, string? Class) CategoryOf(StoreOrder order, string? productType, string? sku)
    {
        string? account = null, @class = null;
        foreach (var rule in _categories)
        {
            var matches =
                (rule.ProductType is null || string.Equals(rule.ProductType, productType, StringComparison.OrdinalIgnoreCase))
                && (rule.Channel is null || string.Equals(rule.Channel, order.Channel, StringComparison.OrdinalIgnoreCase))
                && (rule.Tag is null || order.Tags.Any(t => string.Equals(t?.Trim(), rule.Tag, StringComparison.OrdinalIgnoreCase)))
                && (rule.SkuPrefix is null || (sku is not null && sku.StartsWith(rule.SkuPrefix, StringComparison.Ordinal)));
            if (matches)
            {
                account ??= string.IsNullOrWhiteSpace(rule.IncomeAccountId) ? null : rule.IncomeAccountId;
                @class ??= string.IsNullOrWhiteSpace(rule.ClassId) ? null : rule.ClassId;
            }
        }

        return (account, @class);
    }

    private string? TaxCodeOf(IReadOnlyList<StoreTaxLine> taxes, string path, string what, List<MappingError> errors)
    {
        if (taxes.Count == 0)
        {
            return _noTax;
        }

        if (taxes.Count > 1)
        {
            var titles = string.Join(" + ", taxes.Select(static t => t.Title?.Trim()));
            var combined = Array.Find(_taxCodes, r => Matches(r, titles, taxes.Sum(static t => t.Rate)));
            if (combined is not null)
            {
                return combined.TaxCodeId;
            }
        }

        var codes = new List<string>();
        for (var j = 0; j < taxes.Count; j++)
        {
            var tax = taxes[j];
            var rule = Array.Find(_taxCodes, r => Matches(r, tax.Title?.Trim(), tax.Rate));
            if (rule is null)
            {
                errors.Add(new MappingError($"{path}.Taxes[{j}]", "TaxCodeId", Invariant(
                    $"no TaxCodeRule matches the tax '{tax.Title}' at {tax.Rate * 100:0.####} % on {(what == "shipping" ? "shipping" : $"'{what}'")}; add one to BooksPostingRules.TaxCodes (by Title and/or Rate) naming the books' tax code, then replay")));
                return null;
            }

            codes.Add(rule.TaxCodeId);
        }

        var distinct = codes.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 1)
        {
            errors.Add(new MappingError($"{path}.Taxes", "TaxCodeId", Invariant(
                $"the taxes {string.Join(" and ", taxes.Select(static t => $"'{t.Title}'"))} on '{what}' map to the tax codes {string.Join(", ", distinct)}, but a books line holds one; add a TaxCodeRule for the combination (Title \"{string.Join(" + ", taxes.Select(static t => t.Title))}\" or Rate {taxes.Sum(static t => t.Rate)}), then replay")));
            return null;
        }

        return distinct[0];
    }

    private static bool Matches(TaxCodeRule rule, string? title, decimal rate) =>
        (rule.Title is null || string.Equals(rule.Title.Trim(), title, StringComparison.OrdinalIgnoreCase))
        && (rule.Rate is null || Math.Abs(rule.Rate.Value - rate) < 0.000001m);
}
