using Integrations.Sdk.Stores;

namespace Integrations.Sdk.Shopify.Internal;

/// <summary>Shopify's orders seen through the store category model (<see cref="IStoreConnector"/>); see docs/connectors/shopify.md for the table.</summary>
internal static class StoreMapping
{
    /// <summary>Refund line items whose goods went back into stock (<c>RETURN</c>, <c>CANCEL</c>, and <c>LEGACY_RESTOCK</c> of refunds made before restock types).</summary>
    private static readonly HashSet<string> Restocked = new(StringComparer.Ordinal) { "RETURN", "CANCEL", "LEGACY_RESTOCK" };

    public static StoreOrder ToStoreOrder(ShopifyOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var currency = order.PresentmentCurrencyCode ?? order.CurrencyCode
            ?? throw new FormatException($"Shopify order {order.Id} has no currency (presentmentCurrencyCode and currencyCode are missing).");
        var lines = order.LineItems.Select(l => new StoreOrderLine
        {
            Id = l.Id is { } id ? LegacyId(id) : throw new FormatException($"Shopify order {order.Id} has a line item without id."),
            Sku = l.Sku,
            Title = l.Title ?? l.Sku ?? string.Empty,
            ProductType = l.ProductType,
            Quantity = l.Quantity,
            UnitPrice = l.PresentmentUnitPrice,
            Discount = l.Discount,
            Taxes = Taxes(l.TaxLines),
        }).ToList();
        var shipping = order.ShippingLines.Select(s => new StoreShippingLine
        {
            Title = s.Title ?? string.Empty,
            Amount = s.Price,
            Discount = s.Discount,
            Taxes = Taxes(s.TaxLines),
        }).ToList();

        return new StoreOrder
        {
            Platform = ShopifyConnector.ConnectorName,
            Id = LegacyId(order.Id),
            Number = order.Name.StartsWith('#') ? order.Name[1..] : order.Name,
            CreatedAt = order.CreatedAt,
            UpdatedAt = order.UpdatedAt,
            Currency = currency,
            ExchangeRate = ExchangeRate(order),
            StoreCurrency = order.CurrencyCode,
            PaymentStatus = PaymentStatus(order.DisplayFinancialStatus),
            PricesIncludeTax = order.TaxesIncluded,
            Email = order.Email,
            Customer = order.Customer is { } c ? ToStoreCustomer(c) : null,
            Lines = lines,
            ShippingLines = shipping,
            Discounts = Discounts(order),
            Refunds = [.. order.Refunds.Select(r => ToStoreRefund(order, r))],
            TotalTax = order.TotalTax,
            Total = order.PresentmentTotalPrice,
            Channel = string.IsNullOrEmpty(order.SourceName) ? null : order.SourceName,
            Tags = order.Tags,
            Native = order,
        };
    }

    public static StoreCustomer ToStoreCustomer(ShopifyCustomer customer) => new()
    {
        Id = LegacyId(customer.Id),
        Email = customer.Email,
        FirstName = customer.FirstName,
        LastName = customer.LastName,
    };

    /// <summary>
    /// The shop currency's units per unit of the presentment currency, from the order's total in both (<c>totalPriceSet</c>);
    /// <see langword="null"/> when the order is in the shop's currency. The rate is given with the fewest decimals (up to 10)
    /// that turn the presentment total back into the shop total at cent precision, so a shop converting at 1.1 reads 1.1.
    /// </summary>
    public static decimal? ExchangeRate(ShopifyOrder order)
    {
        if (order.PresentmentCurrencyCode is null || order.CurrencyCode is null
            || string.Equals(order.PresentmentCurrencyCode, order.CurrencyCode, StringComparison.Ordinal) || order.PresentmentTotalPrice == 0m)
        {
            return null;
        }

        var exact = order.TotalPrice / order.PresentmentTotalPrice;
        for (var decimals = 1; decimals <= 10; decimals++)
        {
            var rate = Math.Round(exact, decimals, MidpointRounding.AwayFromZero);
            if (rate > 0m && Math.Round(order.PresentmentTotalPrice * rate, 2, MidpointRounding.AwayFromZero) == order.TotalPrice)
            {
                return rate;
            }
        }

        return Math.Round(exact, 10, MidpointRounding.AwayFromZero);
    }

    public static StorePaymentStatus PaymentStatus(string? displayFinancialStatus) => displayFinancialStatus switch
    {
        "PAID" => StorePaymentStatus.Paid,
        "PARTIALLY_PAID" => StorePaymentStatus.PartiallyPaid,
        "PARTIALLY_REFUNDED" => StorePaymentStatus.PartiallyRefunded,
        "REFUNDED" => StorePaymentStatus.Refunded,
        "VOIDED" or "EXPIRED" => StorePaymentStatus.Voided,
        _ => StorePaymentStatus.Pending, // PENDING, AUTHORIZED (not captured) or unknown
    };

    /// <summary>
    /// The discount codes with what they took off. Shopify allocates discounts to lines and shipping without naming the code on each
    /// allocation in the fields read, so one code gets the sum of all allocations; several codes share it in one entry named by the
    /// codes joined with <c>+</c>; allocations without a code (an automatic discount) appear as <c>automatic</c>.
    /// </summary>
    private static IReadOnlyList<StoreDiscount> Discounts(ShopifyOrder order)
    {
        var total = order.LineItems.Sum(l => l.Discount) + order.ShippingLines.Sum(s => s.Discount);
        var codes = order.DiscountCodes.Where(c => !string.IsNullOrEmpty(c)).ToList();
        if (codes.Count == 0)
        {
            return total == 0m ? [] : [new StoreDiscount("automatic", total)];
        }

        return [new StoreDiscount(string.Join('+', codes), total)];
    }

    private static StoreRefund ToStoreRefund(ShopifyOrder order, ShopifyRefund refund)
    {
        // Shopify states refunded amounts on the order's price basis: with tax when its taxes are included (see docs/testing.md). The model wants them without.
        decimal Net(decimal amount, decimal tax) => order.TaxesIncluded ? amount - tax : amount;
        return new StoreRefund
        {
            Id = LegacyId(refund.Id),
            CreatedAt = refund.CreatedAt ?? order.UpdatedAt,
            Lines = [.. refund.RefundLineItems.Select(l => new StoreRefundLine
            {
                LineId = l.LineItemId is { } id ? LegacyId(id) : throw new FormatException($"Shopify refund {refund.Id} of order {order.Id} has a line without its line item."),
                Sku = l.Sku,
                Quantity = l.Quantity,
                Subtotal = Net(l.Subtotal, l.TotalTax),
                Tax = l.TotalTax,
                Restock = l.RestockType is { } type && Restocked.Contains(type),
            })],
            Shipping = Net(refund.Shipping, refund.ShippingTax),
            ShippingTax = refund.ShippingTax,
            Amount = refund.TotalRefunded,
            Reason = refund.Note,
        };
    }

    private static IReadOnlyList<StoreTaxLine> Taxes(IReadOnlyList<ShopifyTaxLine> lines) =>
        [.. lines.Select(t => new StoreTaxLine(t.Title ?? string.Empty, t.Rate, t.Amount))];

    /// <summary>The numeric id at the end of a global id (<c>gid://shopify/Order/123</c> → <c>123</c>); an id that is not a global id is kept.</summary>
    public static string LegacyId(string globalId)
    {
        var slash = globalId.LastIndexOf('/');
        return globalId.StartsWith("gid://", StringComparison.Ordinal) && slash >= 0 ? globalId[(slash + 1)..] : globalId;
    }

    /// <summary>An order's global id from what <see cref="StoreOrder.Id"/> shows (the numeric id) or from a global id.</summary>
    public static string OrderGlobalId(string orderId) =>
        orderId.StartsWith("gid://", StringComparison.Ordinal) ? orderId
        : orderId.Length > 0 && orderId.All(char.IsAsciiDigit) ? "gid://shopify/Order/" + orderId
        : throw new ArgumentException($"'{orderId}' is not a Shopify order id (the numeric id, as StoreOrder.Id shows it, or gid://shopify/Order/...).", nameof(orderId));
}
