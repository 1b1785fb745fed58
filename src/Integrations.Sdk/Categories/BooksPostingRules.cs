using System.Globalization;

namespace Integrations.Sdk.Books;

/// <summary>
/// How store orders are booked (see <see cref="StoreToBooks"/>): the books' home currency, the tax code table, the
/// categorisation table, the accounts of shipping, discounts, refunds and payments, exchange rates and the document
/// numbers. Ids are the books' own: QuickBooks ids, Xero account codes, tax types and tracking option names.
/// </summary>
/// <example>
/// <code>
/// var rules = new BooksPostingRules { HomeCurrency = "USD", NoTaxCodeId = "NON", ShippingAccountId = "4300", PaymentAccountId = "1010" };
/// rules.TaxCodes.Add(new TaxCodeRule("TAX") { Title = "CA State Tax" });
/// rules.Categories.Add(new CategoryRule { Channel = "pos", ClassId = "Retail" });
/// rules.Categories.Add(new CategoryRule { ProductType = "Shirts", IncomeAccountId = "4010" });
/// </code>
/// </example>
public sealed class BooksPostingRules
{
    /// <summary>The books' home currency (ISO 4217): documents in it carry no exchange rate. <value>Default: <c>USD</c>.</value></summary>
    public string HomeCurrency { get; set; } = "USD";

    /// <summary>
    /// The tax code table: a store's tax (by title and/or rate) to the books' tax code. The first rule that matches
    /// wins. A store tax no rule matches sends the order to the dead letters with the tax and the line named.
    /// </summary>
    public IList<TaxCodeRule> TaxCodes { get; } = [];

    /// <summary>The tax code of lines the store charged no tax on; <see langword="null"/> for the books' default.</summary>
    public string? NoTaxCodeId { get; set; }

    /// <summary>
    /// The categorisation table: product type, channel, tag or SKU prefix to the income account and class (QuickBooks
    /// class, Xero tracking option) of a line. For each of the two, the first matching rule that sets it wins; a line no
    /// rule gives an income account posts to its item's own.
    /// </summary>
    public IList<CategoryRule> Categories { get; } = [];

    /// <summary>The account shipping charges post to (Xero requires one; QuickBooks uses its shipping item when <see langword="null"/>).</summary>
    public string? ShippingAccountId { get; set; }

    /// <summary>
    /// The account discounts post to; <see langword="null"/> to take them off the income account a
    /// <see cref="CategoryRule"/> gives the line, or, with none, to leave the account to the books (QuickBooks uses its
    /// discount account; Xero needs one, so set this or give every line an income account).
    /// </summary>
    public string? DiscountAccountId { get; set; }

    /// <summary>
    /// The account money refunded posts to when no goods come back into stock and no <see cref="CategoryRule"/> gives
    /// the line an income account, and the account of any part of a refund the store does not explain by lines,
    /// shipping and tax.
    /// </summary>
    public string? RefundAccountId { get; set; }

    /// <summary>
    /// The SKU of an untracked service or non-inventory item in the books, used for lines that move no stock
    /// (<see cref="BooksLineKind.Other"/>: goods refunded but not restocked, lines without a SKU, a refund's remainder):
    /// QuickBooks needs an item on every line that posts an amount (it ignores the amount of a line without one); Xero
    /// books such lines with or without it. <see langword="null"/> for none.
    /// </summary>
    public string? NonStockItemSku { get; set; }

    /// <summary>The deposit (QuickBooks) or bank (Xero, required) account payments go to.</summary>
    public string? PaymentAccountId { get; set; }

    /// <summary>
    /// Home-currency units per unit of a currency (<c>ExchangeRates["EUR"] = 1.08m</c> with a USD home), for orders
    /// in another currency. A rate the store states (<see cref="Stores.StoreOrder.ExchangeRate"/>) comes first, but only
    /// when the store's own currency (<see cref="Stores.StoreOrder.StoreCurrency"/>) is <see cref="HomeCurrency"/>: the
    /// store's rate is in its own currency, so a CAD store's rate is no rate for USD books. Otherwise this table's rate is
    /// used, and an order in a currency it lacks is dead-lettered naming <c>ExchangeRate</c>.
    /// </summary>
    public IDictionary<string, decimal> ExchangeRates { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The time zone whose calendar dates the documents: an invoice is dated the day the order was placed there, a credit
    /// note the day of its refund, a payment its invoice's day. Set it to the business's own (the store's or the books'
    /// time zone, for example <c>TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")</c>), or an evening order is
    /// booked on the next day, in the wrong period or tax return. <value>Default: <see cref="TimeZoneInfo.Utc"/>.</value>
    /// </summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Put before the store's order number to make the invoice number, for example <c>W-</c> for a second store booking into the same books.</summary>
    public string? DocumentNumberPrefix { get; set; }

    /// <summary>
    /// Checks the rules' ids against the books, for example at start-up: the home currency against the company's, every
    /// tax code against the books' tax codes, every account against the chart of accounts, every class against the
    /// books' classes (QuickBooks) or tracking options (Xero). An id the books lack would otherwise fail orders one by
    /// one, or book them where nobody looks.
    /// </summary>
    /// <param name="books">The books.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One line per problem, naming the entry and the id; empty when every id exists.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="books"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<string>> CheckAgainstAsync(IBooksConnector books, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(books);
        var problems = new List<string>();
        var company = await books.GetCompanyAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(company.HomeCurrency, HomeCurrency, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"HomeCurrency is {HomeCurrency} but the books of {company.Name} keep {company.HomeCurrency}");
        }

        var taxCodes = (await books.GetTaxCodesAsync(cancellationToken).ConfigureAwait(false)).Select(static t => t.Id).ToHashSet(StringComparer.Ordinal);
        var wanted = TaxCodes.Select((r, i) => ($"TaxCodes[{i}].TaxCodeId", (string?)r?.TaxCodeId)).Append(("NoTaxCodeId", NoTaxCodeId));
        problems.AddRange(Missing(wanted, taxCodes, "a tax code"));

        var accounts = (await books.GetAccountsAsync(cancellationToken).ConfigureAwait(false)).Select(static a => a.Id).ToHashSet(StringComparer.Ordinal);
        wanted = Categories.Select((r, i) => ($"Categories[{i}].IncomeAccountId", r?.IncomeAccountId))
            .Concat([("ShippingAccountId", ShippingAccountId), ("DiscountAccountId", DiscountAccountId), ("RefundAccountId", RefundAccountId), ("PaymentAccountId", PaymentAccountId)]);
        problems.AddRange(Missing(wanted, accounts, "an account"));

        var classIds = Categories.Select((r, i) => ($"Categories[{i}].ClassId", r?.ClassId)).Where(static c => !string.IsNullOrWhiteSpace(c.Item2)).ToList();
        if (classIds.Count > 0)
        {
            var classes = (await books.GetClassesAsync(cancellationToken).ConfigureAwait(false)).Select(static c => c.Id).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(Missing(classIds, classes, "a class"));
        }

        return problems;

        static IEnumerable<string> Missing(IEnumerable<(string Entry, string? Id)> wanted, HashSet<string> known, string what) =>
            wanted.Where(w => !string.IsNullOrWhiteSpace(w.Id) && !known.Contains(w.Id!))
                .Select(w => $"{w.Entry} '{w.Id}' is not {what} of the books ({(known.Count == 0 ? "they have none" : $"they have {string.Join(", ", known.Order(StringComparer.Ordinal).Take(20))}")})");
    }

    /// <summary>Checks the rules; the error names every entry at fault and what to change.</summary>
    /// <exception cref="ArgumentException">Some rule is not valid; <see cref="ArgumentException.ParamName"/> is <c>rules</c>.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (HomeCurrency is not { Length: 3 } home || !home.All(char.IsAsciiLetter))
        {
            problems.Add($"HomeCurrency '{HomeCurrency}' is not an ISO 4217 code such as USD");
        }

        for (var i = 0; i < TaxCodes.Count; i++)
        {
            var rule = TaxCodes[i];
            if (rule is null)
            {
                problems.Add($"TaxCodes[{i}] is null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(rule.TaxCodeId))
            {
                problems.Add($"TaxCodes[{i}].TaxCodeId is empty: it must be the books' tax code id (QuickBooks tax code id, Xero TaxType)");
            }

            if (rule.Rate is { } rate && (rate < 0 || rate > 1))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"TaxCodes[{i}].Rate is {rate}: a rate is a fraction between 0 and 1, for example 0.2 for 20 %"));
            }
        }

        for (var i = 0; i < Categories.Count; i++)
        {
            var rule = Categories[i];
            if (rule is null)
            {
                problems.Add($"Categories[{i}] is null");
            }
            else if (string.IsNullOrWhiteSpace(rule.IncomeAccountId) && string.IsNullOrWhiteSpace(rule.ClassId))
            {
                problems.Add($"Categories[{i}] sets neither IncomeAccountId nor ClassId, so it would do nothing");
            }
        }

        foreach (var (currency, rate) in ExchangeRates)
        {
            if (rate <= 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"ExchangeRates[\"{currency}\"] is {rate}: it must be positive (home-currency units per unit of {currency})"));
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The books posting rules are not valid: " + string.Join("; ", problems) + ".", "rules");
        }
    }
}

/// <summary>
/// A row of the tax code table (<see cref="BooksPostingRules.TaxCodes"/>): a store tax whose title and/or rate match
/// is booked with <paramref name="TaxCodeId"/>. A rule with neither matches every tax (a catch-all: put it last). For
/// a line charged several taxes (state and county, GST and PST), a rule matches the combination by the titles joined
/// with <c>" + "</c> (<c>GST + PST</c>) and/or the sum of the rates; otherwise each tax is matched alone and all
/// must give the same tax code, since a books line holds one.
/// </summary>
/// <param name="TaxCodeId">The books' tax code (QuickBooks tax code id, Xero <c>TaxType</c>).</param>
public sealed record TaxCodeRule(string TaxCodeId)
{
    /// <summary>The store tax's title, compared ignoring case, for example <c>CA State Tax</c>; <see langword="null"/> for any.</summary>
    public string? Title { get; init; }

    /// <summary>The store tax's rate as a fraction (0.0725 for 7.25 %); <see langword="null"/> for any.</summary>
    public decimal? Rate { get; init; }
}

/// <summary>
/// A row of the categorisation table (<see cref="BooksPostingRules.Categories"/>): a line whose order and product
/// meet every condition set (none set: every line) gets the income account and/or class set.
/// </summary>
public sealed record CategoryRule
{
    /// <summary>The product type or category the line must have, compared ignoring case.</summary>
    public string? ProductType { get; init; }

    /// <summary>Where the order must have been placed (<see cref="Stores.StoreOrder.Channel"/>, for example <c>pos</c>), compared ignoring case.</summary>
    public string? Channel { get; init; }

    /// <summary>A tag the order must carry, compared ignoring case.</summary>
    public string? Tag { get; init; }

    /// <summary>How the line's SKU must start (case-sensitive), for example <c>GIFT-</c>.</summary>
    public string? SkuPrefix { get; init; }

    /// <summary>The income account the line posts to instead of its item's (QuickBooks account id, Xero account code).</summary>
    public string? IncomeAccountId { get; init; }

    /// <summary>The class (QuickBooks class id) or tracking option (Xero option name) of the line.</summary>
    public string? ClassId { get; init; }
}
