using Integrations.Sdk.Stores;
using Integrations.Sdk.WooCommerce.Models;

namespace Integrations.Sdk.WooCommerce.Internal;

/// <summary>
/// Maps a WooCommerce order (with its refunds read in full) to the store category model. WooCommerce's line
/// <c>subtotal</c>/<c>total</c> are without tax; the model's prices are as listed, so with tax when the order's
/// <c>prices_include_tax</c> is set: then the line's tax is added back (<c>subtotal + subtotal_tax</c> before discounts,
/// <c>total + total_tax</c> after).
/// </summary>
internal static class WooStoreMapping
{
    /// <summary>The order line meta data key holding the quantity refunds put back into stock, in all.</summary>
    internal const string RestockedKey = "_restock_refunded_items";

    /// <summary>The refund line meta data key naming the order line it refunds.</summary>
    internal const string RefundedItemKey = "_refunded_item_id";

    /// <summary>At most this many refund lines of one order line are matched exactly against the restocked quantity.</summary>
    private const int ExactRestockLimit = 16;

    public static StoreOrder ToStoreOrder(WooOrder order, IReadOnlyList<WooRefund> refunds, IReadOnlyDictionary<long, string?> productTypes)
    {
        var created = order.DateCreatedGmt ?? order.DateModifiedGmt
            ?? throw PlatformException.InvalidResponse(WooCommerceConnector.ConnectorName, $"order {order.Id} has neither date_created_gmt nor date_modified_gmt");
        var inclusive = order.PricesIncludeTax;
        var rates = new Dictionary<long, WooTaxLine>();
        foreach (var rate in order.TaxLines)
        {
            rates.TryAdd(rate.RateId, rate);
        }

        var email = string.IsNullOrWhiteSpace(order.Billing?.Email) ? null : order.Billing.Email.Trim();
        return new StoreOrder
        {
            Platform = WooCommerceConnector.ConnectorName,
            Id = order.Id.ToString(CultureInfo.InvariantCulture),
            Number = string.IsNullOrWhiteSpace(order.Number) ? order.Id.ToString(CultureInfo.InvariantCulture) : order.Number.TrimStart('#'),
            CreatedAt = created,
            UpdatedAt = order.DateModifiedGmt ?? created,
            Currency = order.Currency,
            ExchangeRate = null,
            PaymentStatus = PaymentStatus(order),
            PricesIncludeTax = inclusive,
            Email = email,
            Customer = order.CustomerId > 0
                ? new StoreCustomer
                {
                    Id = order.CustomerId.ToString(CultureInfo.InvariantCulture),
                    Email = email,
                    FirstName = Blank(order.Billing?.FirstName),
                    LastName = Blank(order.Billing?.LastName),
                }
                : null,
            Lines = [.. order.LineItems.Select(line => Line(line, inclusive, rates, productTypes))],
            ShippingLines = [.. order.ShippingLines.Select(s => new StoreShippingLine
            {
                Title = Blank(s.MethodTitle) ?? Blank(s.MethodId) ?? "Shipping",
                Amount = inclusive ? s.Total + s.TotalTax : s.Total,
                Discount = 0m,
                Taxes = Taxes(s.Taxes, rates),
            })],
            Discounts = [.. order.CouponLines.Select(c => new StoreDiscount(c.Code ?? string.Empty, inclusive ? c.Discount + c.DiscountTax : c.Discount))],
            Refunds = Refunds(order, refunds),
            TotalTax = order.TotalTax,
            Total = order.Total,
            Channel = Blank(order.CreatedVia),
            Tags = [],
            Native = order,
        };
    }

    /// <summary>
    /// pending, on-hold, failed: pending; processing: paid once <c>date_paid_gmt</c> is set (cash on delivery and other
    /// offline gateways leave it in processing unpaid: pending); completed: paid (the merchant closed it; the docs' own
    /// completed order has no <c>date_paid</c>); paid ones are partially refunded when refunds do not cover the total
    /// (refunded when they do); refunded: refunded; cancelled, trash: voided; any other (a plugin's) status: pending.
    /// </summary>
    public static StorePaymentStatus PaymentStatus(WooOrder order)
    {
        var refunded = order.Refunds.Sum(r => Math.Abs(r.Total));
        return order.Status switch
        {
            "processing" when order.DatePaidGmt is null => StorePaymentStatus.Pending,
            "processing" or "completed" when refunded > 0m && refunded >= order.Total => StorePaymentStatus.Refunded,
            "processing" or "completed" when refunded > 0m => StorePaymentStatus.PartiallyRefunded,
            "processing" or "completed" => StorePaymentStatus.Paid,
            "refunded" => StorePaymentStatus.Refunded,
            "cancelled" or "trash" => StorePaymentStatus.Voided,
            _ => StorePaymentStatus.Pending,
        };
    }

    private static StoreOrderLine Line(WooLineItem line, bool inclusive, Dictionary<long, WooTaxLine> rates, IReadOnlyDictionary<long, string?> productTypes)
    {
        var before = inclusive ? line.Subtotal + line.SubtotalTax : line.Subtotal;
        var after = inclusive ? line.Total + line.TotalTax : line.Total;
        return new StoreOrderLine
        {
            Id = line.Id.ToString(CultureInfo.InvariantCulture),
            Sku = Blank(line.Sku),
            Title = Blank(line.Name) ?? Blank(line.Sku) ?? $"Product {line.ProductId}",
            ProductType = productTypes.GetValueOrDefault(line.ProductId),
            Quantity = line.Quantity,
            UnitPrice = UnitPrice(before, line.Quantity),
            Discount = before - after,
            Taxes = Taxes(line.Taxes, rates),
        };
    }

    /// <summary>The amount per unit: exact when it divides to the cent, otherwise rounded to 6 decimals.</summary>
    private static decimal UnitPrice(decimal amount, int quantity)
    {
        if (quantity == 0)
        {
            return amount;
        }

        var unit = amount / quantity;
        return decimal.Round(unit, 2) * quantity == amount ? decimal.Round(unit, 2) : decimal.Round(unit, 6, MidpointRounding.AwayFromZero);
    }

    private static IReadOnlyList<StoreTaxLine> Taxes(List<WooLineTax> taxes, Dictionary<long, WooTaxLine> rates) =>
    [
        .. taxes.Select(tax =>
        {
            var rate = rates.GetValueOrDefault(tax.Id);
            return new StoreTaxLine(
                Blank(rate?.Label) ?? Blank(rate?.RateCode) ?? $"Tax rate {tax.Id}",
                rate?.RatePercent is { } percent ? percent / 100m : 0m,
                tax.Total);
        }),
    ];

    private static IReadOnlyList<StoreRefund> Refunds(WooOrder order, IReadOnlyList<WooRefund> refunds)
    {
        var sorted = refunds.OrderBy(r => r.DateCreatedGmt ?? DateTimeOffset.MinValue).ThenBy(r => r.Id).ToList();
        var lineIds = sorted.Select(r => r.LineItems.Select(l => OrderLineOf(order, l)).ToList()).ToList();
        var restocked = RestockedLines(order, sorted, lineIds);
        return
        [
            .. sorted.Select((refund, i) => new StoreRefund
            {
                Id = refund.Id.ToString(CultureInfo.InvariantCulture),
                CreatedAt = refund.DateCreatedGmt ?? order.DateModifiedGmt ?? order.DateCreatedGmt ?? DateTimeOffset.UnixEpoch,
                Lines = [.. refund.LineItems.Select((line, j) => new StoreRefundLine
                {
                    LineId = (lineIds[i][j]?.Id ?? line.Id).ToString(CultureInfo.InvariantCulture),
                    Sku = Blank(line.Sku) ?? Blank(lineIds[i][j]?.Sku),
                    Quantity = Math.Abs(line.Quantity),
                    Subtotal = Math.Abs(line.Total),
                    Tax = Math.Abs(line.TotalTax),
                    Restock = restocked.Contains((i, j)),
                })],
                Shipping = refund.ShippingLines.Sum(s => Math.Abs(s.Total)),
                ShippingTax = refund.ShippingLines.Sum(s => Math.Abs(s.TotalTax)),
                Amount = Math.Abs(refund.Amount),
                Reason = Blank(refund.Reason),
            }),
        ];
    }

    /// <summary>The order line a refund line refunds: by its <c>_refunded_item_id</c>, else the first line of the same product and variation.</summary>
    private static WooLineItem? OrderLineOf(WooOrder order, WooLineItem refundLine)
    {
        if (Meta(refundLine, RefundedItemKey) is { } id)
        {
            return order.LineItems.FirstOrDefault(l => l.Id == id);
        }

        return order.LineItems.FirstOrDefault(l => l.ProductId == refundLine.ProductId && l.VariationId == refundLine.VariationId);
    }

    /// <summary>
    /// Which refund lines put their goods back into stock. WooCommerce records only, per order line, how many units
    /// refunds restocked in all (<c>_restock_refunded_items</c>), not which refund did: the refund lines of an order
    /// line whose quantities add up exactly to that count are taken as restocked (the older ones first when several
    /// combinations do); without an exact combination, the older ones first while the count lasts.
    /// </summary>
    private static HashSet<(int Refund, int Line)> RestockedLines(WooOrder order, List<WooRefund> refunds, List<List<WooLineItem?>> lineIds)
    {
        var restocked = new HashSet<(int, int)>();
        foreach (var orderLine in order.LineItems)
        {
            var count = Meta(orderLine, RestockedKey) ?? 0;
            if (count <= 0)
            {
                continue;
            }

            var candidates = new List<(int Refund, int Line, long Quantity)>();
            for (var i = 0; i < refunds.Count; i++)
            {
                for (var j = 0; j < refunds[i].LineItems.Count; j++)
                {
                    if (ReferenceEquals(lineIds[i][j], orderLine))
                    {
                        candidates.Add((i, j, Math.Abs((long)refunds[i].LineItems[j].Quantity)));
                    }
                }
            }

            var chosen = ExactCombination(candidates.Select(c => c.Quantity).ToList(), count);
            if (chosen is null)
            {
                chosen = [];
                var left = count;
                for (var k = 0; k < candidates.Count; k++)
                {
                    if (candidates[k].Quantity > 0 && candidates[k].Quantity <= left)
                    {
                        chosen.Add(k);
                        left -= candidates[k].Quantity;
                    }
                }
            }

            foreach (var k in chosen)
            {
                restocked.Add((candidates[k].Refund, candidates[k].Line));
            }
        }

        return restocked;
    }

    /// <summary>The indexes of quantities adding up to <paramref name="total"/>, preferring the earlier ones; <see langword="null"/> when none do.</summary>
    private static List<int>? ExactCombination(List<long> quantities, long total)
    {
        var n = quantities.Count;
        if (n == 0 || n > ExactRestockLimit)
        {
            return null;
        }

        // Bit (n - 1 - k) stands for quantity k: counting down tries the combinations with the earliest refunds first.
        for (var mask = (1 << n) - 1; mask > 0; mask--)
        {
            long sum = 0;
            for (var k = 0; k < n; k++)
            {
                if ((mask & (1 << (n - 1 - k))) != 0)
                {
                    sum += quantities[k];
                }
            }

            if (sum == total)
            {
                return [.. Enumerable.Range(0, n).Where(k => (mask & (1 << (n - 1 - k))) != 0)];
            }
        }

        return null;
    }

    private static long? Meta(WooLineItem line, string key)
    {
        foreach (var entry in line.MetaData)
        {
            if (entry.Key == key)
            {
                return entry.Value.ValueKind switch
                {
                    JsonValueKind.Number when entry.Value.TryGetInt64(out var n) => n,
                    JsonValueKind.String when long.TryParse(entry.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
                    _ => null,
                };
            }
        }

        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
