using System.Globalization;
using Integrations.Sdk.Testing.Commerce;

namespace ShopifyToQuickBooks;

/// <summary>A product of the sample shop, sold in the store and kept as a tracked inventory item in the books.</summary>
/// <param name="Sku">The SKU, the same in the store and the books.</param>
/// <param name="Title">The product's title.</param>
/// <param name="Price">The list price (USD without tax; the same figure in EUR, with VAT).</param>
/// <param name="ProductType">The product type, which picks the income account and class in the books.</param>
/// <param name="Taxable">Whether sales tax or VAT applies (the tea is a grocery: tax-free).</param>
public sealed record ShopProduct(string Sku, string Title, decimal Price, string ProductType, bool Taxable);

/// <summary>A seeded order: the sale as the checkout worked it out, and the refunds added to it afterwards.</summary>
/// <param name="Sale">The sale.</param>
/// <param name="Refunds">The refunds, oldest first.</param>
public sealed record SeededOrder(SimulatedSale Sale, IReadOnlyList<SimulatedSaleRefund> Refunds)
{
    /// <summary>Whether the order is booked: paid (refunded or not). Pending and cancelled orders are not.</summary>
    public bool IsBooked => Sale.Status == "paid";
}

/// <summary>
/// The sample's shop: a catalog, and orders worked out as a checkout would (tax per line rounded to cents), in USD with
/// a 7.25 % sales tax added, or in EUR with 20 % VAT included; shipping on most orders, a discount code on some,
/// pending and cancelled ones, partial and full refunds with and without restock. Then, independently of the sync,
/// what the books must show for it: the revenue in home currency and the quantities on hand.
/// </summary>
public static class SampleShop
{
    /// <summary>The quantity of every product in stock, in the store and in the books, before the first sale.</summary>
    public const int StartingStock = 1000;

    /// <summary>The home currency of the books (and the shop's own currency).</summary>
    public const string HomeCurrency = "USD";

    /// <summary>The foreign currency some customers pay in.</summary>
    public const string ForeignCurrency = "EUR";

    /// <summary>
    /// USD per EUR on every EUR order (Shopify states it on the order; for WooCommerce the rule table carries it). A rate
    /// whose inverse has at most 6 decimals (0.8 EUR per USD): Xero keeps its <c>CurrencyRate</c> (document units per home
    /// unit) to 6 decimals, so a rate like 1.085 (0.921659 in Xero) would book some EUR documents a cent away from the
    /// store's figure.
    /// </summary>
    public const decimal EurRate = 1.25m;

    /// <summary>The sales tax added to USD orders' taxable lines.</summary>
    public const string SalesTaxTitle = "CA State Tax";

    /// <summary>The sales tax rate (7.25 %).</summary>
    public const decimal SalesTaxRate = 0.0725m;

    /// <summary>The VAT included in EUR orders' taxable prices.</summary>
    public const string VatTitle = "VAT";

    /// <summary>The VAT rate (20 %).</summary>
    public const decimal VatRate = 0.20m;

    /// <summary>The tax title on tax-free lines (rate 0, amount 0).</summary>
    public const string TaxFreeTitle = "Tax exempt";

    /// <summary>The discount code some customers use: 10 % off every line.</summary>
    public const string DiscountCode = "WELCOME10";

    /// <summary>The discount code's rate.</summary>
    public const decimal DiscountRate = 0.10m;

    /// <summary>The shipping charged on a USD order below <see cref="FreeShippingFrom"/> (no tax on shipping).</summary>
    public const decimal UsdShipping = 5.99m;

    /// <summary>The shipping charged on an EUR order below <see cref="FreeShippingFrom"/> (no VAT on it, a simplification).</summary>
    public const decimal EurShipping = 4.90m;

    /// <summary>Orders whose lines come to at least this much (in the order's currency, after discount) ship free.</summary>
    public const decimal FreeShippingFrom = 100m;

    /// <summary>The products: 11 SKUs of 5 product types, one of them tax-free.</summary>
    public static readonly IReadOnlyList<ShopProduct> Catalog =
    [
        new("SKU-TEE-S", "Organic tee S", 24m, "Apparel", true),
        new("SKU-TEE-M", "Organic tee M", 24m, "Apparel", true),
        new("SKU-TEE-L", "Organic tee L", 24m, "Apparel", true),
        new("SKU-HOOD-M", "Hoodie M", 59m, "Apparel", true),
        new("SKU-HOOD-L", "Hoodie L", 59m, "Apparel", true),
        new("SKU-SOCK", "Socks", 9.5m, "Apparel", true),
        new("SKU-CAP", "Cap", 18m, "Accessories", true),
        new("SKU-TOTE", "Tote bag", 16m, "Accessories", true),
        new("SKU-MUG", "Mug", 14.25m, "Home", true),
        new("SKU-TEA", "Loose-leaf tea", 12m, "Grocery", false),
        new("SKU-GIFTBOX", "Gift box", 6m, "Gift", true),
    ];

    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra"];

    /// <summary>The product types of the catalog, in catalog order.</summary>
    public static IReadOnlyList<string> ProductTypes => [.. Catalog.Select(p => p.ProductType).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Generates <paramref name="orders"/> orders, 7 minutes apart with the last one at <paramref name="now"/>, the same
    /// for the same seed. About 88 % are in USD, 12 % in EUR; 6 % stay pending, 4 % are cancelled; of the paid ones about
    /// 7 % are refunded in full and 10 % in part (some twice); 20 % use <see cref="DiscountCode"/>; 10 % are sold in the
    /// shop (channel <c>pos</c>, no shipping).
    /// </summary>
    /// <param name="orders">How many orders.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="now">The store's clock now: no order or refund is later.</param>
    public static IReadOnlyList<SeededOrder> Generate(int orders, int seed, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(orders);
        var random = new Random(seed);
        var customers = Enumerable.Range(0, Math.Max(10, orders / 3)).Select(i =>
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[(i / FirstNames.Length) % LastNames.Length];
            return (First: first, Last: last, Email: string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{i}@example.com").ToLowerInvariant());
        }).ToList();

        var result = new List<SeededOrder>(orders);
        for (var n = 1; n <= orders; n++)
        {
            var createdAt = now - TimeSpan.FromMinutes(7 * (orders - n));
            var euro = random.NextDouble() < 0.12;
            var discounted = random.NextDouble() < 0.2;
            var pos = random.NextDouble() < 0.1;
            var lines = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => Catalog[random.Next(Catalog.Count)])
                .DistinctBy(p => p.Sku)
                .Select(p => Line(p, random.Next(1, 4), discounted, euro))
                .ToList();
            var linesNet = lines.Sum(l => LineNet(l, euro));
            var shipping = pos || linesNet >= FreeShippingFrom || random.NextDouble() < 0.1 ? 0m : euro ? EurShipping : UsdShipping;
            var status = random.NextDouble() switch
            {
                < 0.06 => "pending",
                < 0.10 => "cancelled",
                _ => "paid",
            };
            var customer = random.NextDouble() < 0.33 ? customers[random.Next(10)] : customers[random.Next(customers.Count)];
            var tags = new List<string>();
            if (pos)
            {
                tags.Add("in-store");
            }

            if (lines.Any(l => l.Sku == "SKU-GIFTBOX"))
            {
                tags.Add("gift");
            }

            var sale = new SimulatedSale
            {
                Email = customer.Email,
                FirstName = customer.First,
                LastName = customer.Last,
                Lines = lines,
                Shipping = shipping,
                ShippingTitle = euro ? "DHL international" : "Standard shipping",
                PricesIncludeTax = euro,
                Currency = euro ? ForeignCurrency : HomeCurrency,
                ExchangeRate = euro ? EurRate : 1m,
                DiscountCode = discounted ? DiscountCode : null,
                Status = status,
                CreatedAt = createdAt,
                Tags = tags,
                Channel = pos ? "pos" : "web",
            };
            result.Add(new SeededOrder(sale, status == "paid" ? Refunds(sale, random, now) : []));
        }

        return result;
    }

    /// <summary>A sale line as a checkout works it out: the discount, then the tax on what is left, each rounded to cents.</summary>
    /// <param name="product">The product.</param>
    /// <param name="quantity">The quantity.</param>
    /// <param name="discounted">Whether <see cref="DiscountCode"/> applies.</param>
    /// <param name="taxIncluded">Whether the price includes tax (EUR with VAT) or tax is added (USD with sales tax).</param>
    public static SimulatedSaleLine Line(ShopProduct product, int quantity, bool discounted, bool taxIncluded)
    {
        ArgumentNullException.ThrowIfNull(product);
        var gross = quantity * product.Price;
        var discount = discounted ? Cents(gross * DiscountRate) : 0m;
        if (!product.Taxable)
        {
            return new SimulatedSaleLine(product.Sku, quantity, product.Price, discount, 0m, 0m, TaxFreeTitle);
        }

        var rate = taxIncluded ? VatRate : SalesTaxRate;
        var tax = taxIncluded ? Cents((gross - discount) * rate / (1 + rate)) : Cents((gross - discount) * rate);
        return new SimulatedSaleLine(product.Sku, quantity, product.Price, discount, tax, rate, taxIncluded ? VatTitle : SalesTaxTitle);
    }

    /// <summary>A line's amount after its discount and without tax.</summary>
    /// <param name="line">The line.</param>
    /// <param name="pricesIncludeTax">Whether the sale's prices include tax.</param>
    public static decimal LineNet(SimulatedSaleLine line, bool pricesIncludeTax)
    {
        ArgumentNullException.ThrowIfNull(line);
        var afterDiscount = (line.Quantity * line.UnitPrice) - line.Discount;
        return pricesIncludeTax ? afterDiscount - line.Tax : afterDiscount;
    }

    /// <summary>The sale's net amount: lines after discounts and shipping, without tax, in the sale's currency.</summary>
    /// <param name="sale">The sale.</param>
    public static decimal SaleNet(SimulatedSale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var shipping = sale.PricesIncludeTax ? sale.Shipping - sale.ShippingTax : sale.Shipping;
        return sale.Lines.Sum(l => LineNet(l, sale.PricesIncludeTax)) + shipping;
    }

    /// <summary>What the customer paid: the net amount, with the tax on lines and shipping.</summary>
    /// <param name="sale">The sale.</param>
    public static decimal SaleTotal(SimulatedSale sale) => SaleNet(sale) + sale.Lines.Sum(l => l.Tax) + sale.ShippingTax;

    /// <summary>A refund's net amount: its lines' subtotals and the shipping refunded, without tax.</summary>
    /// <param name="refund">The refund.</param>
    public static decimal RefundNet(SimulatedSaleRefund refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return refund.Lines.Sum(l => l.Subtotal) + refund.Shipping;
    }

    /// <summary>Home-currency units per unit of the sale's currency.</summary>
    /// <param name="sale">The sale.</param>
    public static decimal RateOf(SimulatedSale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        return sale.Currency == HomeCurrency ? 1m : sale.ExchangeRate;
    }

    /// <summary>A document's revenue in home currency: its net amount × the rate, rounded to cents once, per document.</summary>
    /// <param name="net">The net amount in the document's currency.</param>
    /// <param name="rate">Home-currency units per unit of the document's currency.</param>
    public static decimal HomeRevenue(decimal net, decimal rate) => Math.Round(net * rate, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The revenue the books must show, in home currency: for every booked order its invoice (lines after discounts and
    /// shipping, without tax) less each of its refunds (lines and shipping refunded, without tax), each converted at the
    /// sale's rate and rounded per document. Pending and cancelled orders count nothing.
    /// </summary>
    /// <param name="orders">The seeded orders.</param>
    public static decimal ExpectedRevenue(IEnumerable<SeededOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return orders.Where(o => o.IsBooked).Sum(o =>
        {
            var rate = RateOf(o.Sale);
            return HomeRevenue(SaleNet(o.Sale), rate) - o.Refunds.Sum(r => HomeRevenue(RefundNet(r), rate));
        });
    }

    /// <summary>The invoices the books must hold: one per booked order.</summary>
    /// <param name="orders">The seeded orders.</param>
    public static int ExpectedInvoices(IEnumerable<SeededOrder> orders) => orders.Count(o => o.IsBooked);

    /// <summary>The credit notes the books must hold: one per refund.</summary>
    /// <param name="orders">The seeded orders.</param>
    public static int ExpectedCreditNotes(IEnumerable<SeededOrder> orders) => orders.Where(o => o.IsBooked).Sum(o => o.Refunds.Count);

    /// <summary>What the store must have in stock of a SKU: the start, less every sale not cancelled, plus what refunds restocked.</summary>
    /// <param name="orders">The seeded orders.</param>
    /// <param name="sku">The SKU.</param>
    public static int ExpectedStoreStock(IEnumerable<SeededOrder> orders, string sku) =>
        StartingStock - Sold(orders.Where(o => o.Sale.Status != "cancelled"), sku) + Restocked(orders, sku);

    /// <summary>What the books must have on hand of a SKU: the start, less every booked sale, plus what refunds restocked.</summary>
    /// <param name="orders">The seeded orders.</param>
    /// <param name="sku">The SKU.</param>
    public static int ExpectedOnHand(IEnumerable<SeededOrder> orders, string sku) =>
        StartingStock - Sold(orders.Where(o => o.IsBooked), sku) + Restocked(orders, sku);

    /// <summary>
    /// The quantity of a SKU held by pending orders: the store took it out of stock at checkout, the books will when
    /// the order is paid and invoiced. The inventory check adds it to the store's stock before comparing.
    /// </summary>
    /// <param name="orders">The seeded orders.</param>
    /// <param name="sku">The SKU.</param>
    public static int HeldByPendingOrders(IEnumerable<SeededOrder> orders, string sku) => Sold(orders.Where(o => o.Sale.Status == "pending"), sku);

    private static int Sold(IEnumerable<SeededOrder> orders, string sku) =>
        orders.SelectMany(o => o.Sale.Lines).Where(l => l.Sku == sku).Sum(l => l.Quantity);

    private static int Restocked(IEnumerable<SeededOrder> orders, string sku) =>
        orders.SelectMany(o => o.Refunds).SelectMany(r => r.Lines).Where(l => l.Sku == sku && l.Restock).Sum(l => l.Quantity);

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Refunds of a paid sale: about 7 % in full, 10 % in part (a quarter of those twice, on another line).</summary>
    private static List<SimulatedSaleRefund> Refunds(SimulatedSale sale, Random random, DateTimeOffset now)
    {
        var refunds = new List<SimulatedSaleRefund>();
        var when = Min(sale.CreatedAt + TimeSpan.FromHours(3), now);
        var roll = random.NextDouble();
        if (roll < 0.07)
        {
            // Everything back, shipping included: returned to stock, or (lost in transit) not.
            var restock = random.NextDouble() < 0.6;
            refunds.Add(new SimulatedSaleRefund
            {
                Lines = [.. sale.Lines.Select(l => new SimulatedSaleRefundLine(l.Sku, l.Quantity, LineNet(l, sale.PricesIncludeTax), l.Tax, restock))],
                Shipping = sale.PricesIncludeTax ? sale.Shipping - sale.ShippingTax : sale.Shipping,
                ShippingTax = sale.ShippingTax,
                Reason = restock ? "Customer returned the order" : "Lost in transit",
                CreatedAt = when,
            });
        }
        else if (roll < 0.17)
        {
            var order = sale.Lines.OrderBy(_ => random.Next()).ToList();
            var first = order[0];
            refunds.Add(PartOf(sale, first, random.Next(1, first.Quantity + 1), random.NextDouble() < 0.5, when));
            if (order.Count > 1 && random.NextDouble() < 0.25)
            {
                var second = order[1];
                refunds.Add(PartOf(sale, second, second.Quantity, random.NextDouble() < 0.5, Min(when + TimeSpan.FromMinutes(1), now)));
            }
        }

        return refunds;
    }

    /// <summary>A refund of some units of one line: its net amount and tax in proportion, rounded to cents.</summary>
    private static SimulatedSaleRefund PartOf(SimulatedSale sale, SimulatedSaleLine line, int quantity, bool restock, DateTimeOffset when)
    {
        var net = LineNet(line, sale.PricesIncludeTax);
        var subtotal = quantity == line.Quantity ? net : Cents(net * quantity / line.Quantity);
        var tax = quantity == line.Quantity ? line.Tax : Cents(line.Tax * quantity / line.Quantity);
        return new SimulatedSaleRefund
        {
            Lines = [new SimulatedSaleRefundLine(line.Sku, quantity, subtotal, tax, restock)],
            Reason = restock ? "Returned" : "Damaged, not returned",
            CreatedAt = when,
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
