using Integrations.Sdk.Books;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Stores;

namespace Integrations.Sdk.Tests.Categories;

/// <summary>
/// The planner of store orders into books documents, with figures worked out by hand: tax-exclusive and tax-inclusive
/// prices, discounts, shipping, several taxes on a line, foreign currency, refunds with and without restock, and the
/// errors a person must act on (unknown tax, unknown SKU, guest without email, missing rate, totals that differ).
/// </summary>
public sealed class StoreToBooksTests
{
    private static readonly DateTimeOffset Placed = new(2026, 3, 14, 23, 30, 0, TimeSpan.FromHours(-8)); // 2026-03-15 in UTC

    [Fact]
    public void PlanSale_TaxExclusive_ListPriceLines_DiscountLines_ShippingLine_TaxAsCharged_AndThePayment()
    {
        var order = UsOrder();

        var plan = Planner(r => r.DocumentNumberPrefix = "S-").PlanSale(order);

        plan.Customer.Should().Be(new BooksCustomerDraft { Name = "Ada Lovelace (ada@example.com)", Email = "ada@example.com", FirstName = "Ada", LastName = "Lovelace", Currency = "USD" });
        var invoice = plan.Invoice;
        invoice.Number.Should().Be("S-1001");
        invoice.Date.Should().Be(new DateOnly(2026, 3, 15), "the order's date in UTC");
        invoice.Currency.Should().Be("USD");
        invoice.ExchangeRate.Should().BeNull("the order is in the home currency");
        invoice.Lines.Select(l => (l.Line.Kind, l.Sku, l.Line.Quantity, l.Line.UnitPrice, l.Line.Amount, l.Line.TaxAmount, l.Line.TaxCodeId, l.Line.AccountId, l.Line.ClassId, l.SourcePath))
            .Should().Equal(
                (BooksLineKind.Item, "SH-1", 2m, 25.00m, 50.00m, 3.26m, "TAX", "4010", "Online", "Lines[0]"),
                (BooksLineKind.Discount, null, 1m, 5.00m, 5.00m, 0m, "TAX", "4900", "Online", "Lines[0].Discount"),
                (BooksLineKind.Item, "MUG-1", 1m, 12.00m, 12.00m, 0.87m, "TAX", null, "Online", "Lines[1]"),
                (BooksLineKind.Shipping, null, 1m, 10.00m, 10.00m, 0m, "NON", "4300", "Online", "ShippingLines[0]"));
        invoice.Lines[1].Line.Description.Should().Be("Discount on Shirt (SUMMER5)");
        invoice.NetSubtotal.Should().Be(67.00m, "50 - 5 + 12 + 10");
        invoice.TotalTax.Should().Be(4.13m);
        invoice.Total.Should().Be(71.13m, "what the customer paid");
        invoice.ExpectedRevenue.Should().Be(67.00m);

        var payment = plan.ToPayment("inv-9");
        payment.Should().Be(new BooksPaymentDraft
        {
            InvoiceId = "inv-9", Amount = 71.13m, Date = new DateOnly(2026, 3, 15), Currency = "USD", AccountId = "1010", Reference = "shopify #1001",
        });
        var draft = invoice.ToInvoice("cust-1", new Dictionary<string, string> { ["SH-1"] = "qb-7", ["MUG-1"] = "qb-8" });
        draft.Lines.Select(l => l.ItemId).Should().Equal("qb-7", null, "qb-8", null);
        draft.Number.Should().Be("S-1001");
        draft.CustomerId.Should().Be("cust-1");
    }

    [Fact]
    public void PlanSale_PricesIncludingTax_NetIsGrossLessTheTaxCharged_AndTheDiscountsTaxIsSplitInProportion()
    {
        // VAT 20 % included. Line 1: 3 x 12.00 less 6.00 = 30.00 gross, VAT 5.00: net 25.00, the discount's net
        // 6 x 25/30 = 5.00, so the list price net is 30.00 (10.00 a unit). Line 2: 19.99 less 2.00 = 17.99 gross, VAT
        // charged 3.00: net 14.99, discount net 2 x 14.99/17.99 = 1.6665 -> 1.67, list net 16.66. Shipping 4.80 with
        // 0.80 VAT: 4.00 net. Total 30 + 17.99 + 4.80 = 52.79.
        var order = Order() with
        {
            Currency = "GBP",
            PricesIncludeTax = true,
            Lines =
            [
                Line("1", "TEE-1", 3, 12.00m, discount: 6.00m, new StoreTaxLine("VAT", 0.2m, 5.00m)),
                Line("2", "CAP-1", 1, 19.99m, discount: 2.00m, new StoreTaxLine("VAT", 0.2m, 3.00m)),
            ],
            ShippingLines = [new StoreShippingLine { Title = "Royal Mail", Amount = 4.80m, Taxes = [new StoreTaxLine("VAT", 0.2m, 0.80m)] }],
            TotalTax = 8.80m,
            Total = 52.79m,
        };

        var invoice = Planner(r => { r.HomeCurrency = "GBP"; r.TaxCodes.Add(new TaxCodeRule("OUTPUT2") { Rate = 0.2m }); }).PlanSale(order).Invoice;

        invoice.Lines.Select(l => (l.Line.Kind, l.Line.UnitPrice, l.Line.Amount, l.Line.TaxAmount, l.Line.TaxCodeId)).Should().Equal(
            (BooksLineKind.Item, 10.00m, 30.00m, 5.00m, "OUTPUT2"),
            (BooksLineKind.Discount, 5.00m, 5.00m, 0m, "OUTPUT2"),
            (BooksLineKind.Item, 16.66m, 16.66m, 3.00m, "OUTPUT2"),
            (BooksLineKind.Discount, 1.67m, 1.67m, 0m, "OUTPUT2"),
            (BooksLineKind.Shipping, 4.00m, 4.00m, 0.80m, "OUTPUT2"));
        invoice.NetSubtotal.Should().Be(43.99m);
        invoice.TotalTax.Should().Be(8.80m);
        invoice.Total.Should().Be(52.79m, "exactly what the store charged, from its own figures");
    }

    [Theory]
    [InlineData(true, "GSTPST")] // a rule for the combination
    [InlineData(false, null)] // none: GST and PST give different codes
    public void PlanSale_ALineWithTwoTaxes_TakesTheCombinationsCode_OrFailsNamingBoth(bool combinationRule, string? expected)
    {
        var order = Order() with
        {
            Currency = "CAD",
            Lines = [Line("1", "SKI-1", 1, 100.00m, 0, new StoreTaxLine("GST", 0.05m, 5.00m), new StoreTaxLine("PST", 0.07m, 7.00m))],
            ShippingLines = [],
            TotalTax = 12.00m,
            Total = 112.00m,
        };
        var planner = Planner(r =>
        {
            r.HomeCurrency = "CAD";
            r.TaxCodes.Clear();
            r.TaxCodes.Add(new TaxCodeRule("GST") { Title = "GST" });
            r.TaxCodes.Add(new TaxCodeRule("PST") { Title = "pst" });
            if (combinationRule)
            {
                r.TaxCodes.Add(new TaxCodeRule("GSTPST") { Rate = 0.12m });
            }
        });

        if (expected is not null)
        {
            var line = planner.PlanSale(order).Invoice.Lines.Should().ContainSingle().Subject.Line;
            line.TaxCodeId.Should().Be(expected);
            line.TaxAmount.Should().Be(12.00m);
            return;
        }

        var error = Assert.Throws<MappingValidationException>(() => planner.PlanSale(order)).Errors.Should().ContainSingle().Subject;
        error.SourcePath.Should().Be("Lines[0].Taxes");
        error.Message.Should().Contain("'GST' and 'PST'").And.Contain("GST, PST").And.Contain("Title \"GST + PST\" or Rate 0.12");
    }

    [Fact]
    public void PlanSale_TwoTaxesThatMapToOneCode_AreOneTaxAmountOnTheLine()
    {
        var order = Order() with
        {
            Lines = [Line("1", "SH-1", 1, 100.00m, 0, new StoreTaxLine("CA State Tax", 0.0725m, 7.25m), new StoreTaxLine("LA County Tax", 0.025m, 2.50m))],
            ShippingLines = [],
            TotalTax = 9.75m,
            Total = 109.75m,
        };

        var line = Planner(r => r.TaxCodes.Add(new TaxCodeRule("TAX") { Title = "LA County Tax" })).PlanSale(order).Invoice.Lines[0].Line;

        line.TaxCodeId.Should().Be("TAX");
        line.TaxAmount.Should().Be(9.75m);
    }

    [Theory]
    [InlineData(null, null, "1.0825", "108.24")] // 99.99 x 1.0825 = 108.239175, from the rules' table
    [InlineData("1.1", "USD", "1.1", "109.99")] // 99.99 x 1.1 = 109.989: the store keeps the books' currency, its rate wins
    [InlineData("1.1", "usd", "1.1", "109.99")] // currency codes compared ignoring case
    [InlineData("1.1", "CAD", "1.0825", "108.24")] // a CAD store's rate is CAD per EUR, no rate for USD books: the table's
    [InlineData("1.1", null, "1.0825", "108.24")] // a store that does not say its currency: its rate cannot be trusted
    public void PlanSale_ForeignCurrency_CarriesTheRate_AndTheRevenueInHomeCurrency(string? statedRate, string? storeCurrency, string expectedRate, string revenue)
    {
        decimal? stated = statedRate is null ? null : decimal.Parse(statedRate, System.Globalization.CultureInfo.InvariantCulture);
        var order = Order() with
        {
            Currency = "EUR",
            ExchangeRate = stated,
            StoreCurrency = storeCurrency,
            Lines = [Line("1", "SH-1", 1, 99.99m, 0)],
            ShippingLines = [],
            TotalTax = 0,
            Total = 99.99m,
        };

        var plan = Planner(r => r.ExchangeRates["eur"] = 1.0825m).PlanSale(order);

        plan.Invoice.Currency.Should().Be("EUR");
        plan.Invoice.ExchangeRate.Should().Be(decimal.Parse(expectedRate, System.Globalization.CultureInfo.InvariantCulture));
        plan.Invoice.Lines[0].Line.TaxCodeId.Should().Be("NON", "an untaxed line takes NoTaxCodeId");
        plan.Invoice.ExpectedRevenue.Should().Be(decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture));
        plan.ToPayment("inv-1")!.ExchangeRate.Should().Be(plan.Invoice.ExchangeRate);
    }

    [Fact]
    public void PlanSale_ARateStatedInAStoreCurrencyThatIsNotHome_WithNoRuleRate_FailsNamingExchangeRate()
    {
        var order = Order() with
        {
            Currency = "EUR", ExchangeRate = 1.47m, StoreCurrency = "CAD",
            Lines = [Line("1", "SH-1", 1, 99.99m, 0)], ShippingLines = [], TotalTax = 0, Total = 99.99m,
        };

        var error = Assert.Throws<MappingValidationException>(() => Planner().PlanSale(order)).Errors.Should().ContainSingle().Subject;

        (error.SourcePath, error.TargetPath).Should().Be(("Currency", "ExchangeRate"));
        error.Message.Should().Contain("CAD (StoreCurrency), not in USD").And.Contain("ExchangeRates[\"EUR\"]");
        var refund = order with { PaymentStatus = StorePaymentStatus.PartiallyRefunded, Refunds = [new StoreRefund { Id = "r1", CreatedAt = Placed, Amount = 5m }] };
        Assert.Throws<MappingValidationException>(() => Planner().PlanRefund(refund, "r1")).Errors.Should().Contain(e => e.TargetPath == "ExchangeRate");
    }

    [Fact]
    public void Documents_AreDatedInTheRulesTimeZone_NotInUtc()
    {
        // 03:00 UTC on 15 March is 20:00 on 14 March in Los Angeles (PDT, UTC-7); the refund 05:00 UTC on 20 March is 22:00 on the 19th.
        var placed = new DateTimeOffset(2026, 3, 15, 3, 0, 0, TimeSpan.Zero);
        var order = RefundedOrder() with { CreatedAt = placed, UpdatedAt = placed };
        order = order with { Refunds = [order.Refunds[0] with { CreatedAt = new DateTimeOffset(2026, 3, 20, 5, 0, 0, TimeSpan.Zero) }] };
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

        var local = Planner(r => r.TimeZone = losAngeles);
        var sale = local.PlanSale(order);
        var utc = Planner().PlanSale(order);

        sale.Invoice.Date.Should().Be(new DateOnly(2026, 3, 14), "the evening order belongs to the 14th where the business is");
        sale.ToPayment("inv-1")!.Date.Should().Be(new DateOnly(2026, 3, 14));
        local.PlanRefund(order, "r1").Date.Should().Be(new DateOnly(2026, 3, 19));
        utc.Invoice.Date.Should().Be(new DateOnly(2026, 3, 15), "by default the date is UTC's");
        Planner().PlanRefund(order, "r1").Date.Should().Be(new DateOnly(2026, 3, 20));
        new BooksPostingRules().TimeZone.Should().BeSameAs(TimeZoneInfo.Utc);
    }

    [Fact]
    public void ExpectedRevenue_RoundsToCentsAwayFromZero()
    {
        var plan = new BooksDocumentPlan
        {
            Number = "1", Date = default, Currency = "EUR", ExchangeRate = 1.05m,
            Lines = [new BooksPlannedLine(new BooksLine { Kind = BooksLineKind.Other, Amount = 10.10m }, null, "Lines[0]")],
        };

        plan.ExpectedRevenue.Should().Be(10.61m, "10.10 x 1.05 = 10.605, half away from zero (banker's rounding would give 10.60)");
    }

    [Fact]
    public void PlanSale_ForeignCurrencyWithoutARate_FailsNamingTheCurrency()
    {
        var order = Order() with { Currency = "JPY", Lines = [Line("1", "SH-1", 1, 1000m, 0)], ShippingLines = [], TotalTax = 0, Total = 1000m };

        var error = Assert.Throws<MappingValidationException>(() => Planner().PlanSale(order)).Errors.Should().ContainSingle().Subject;

        error.SourcePath.Should().Be("Currency");
        error.Message.Should().Contain("JPY").And.Contain("USD").And.Contain("ExchangeRates[\"JPY\"]");
    }

    [Fact]
    public void PlanRefund_RestockedLinesAreItemLines_OthersAreLinesOnAnAccount_ShippingAndTheUnexplainedRestToo()
    {
        var order = RefundedOrder();
        var planner = Planner();

        var first = planner.PlanRefund(order, "r1");
        var second = planner.PlanRefund(order, "r2");

        first.Number.Should().Be("1001-R1");
        first.OriginalInvoiceNumber.Should().Be("1001");
        first.Date.Should().Be(new DateOnly(2026, 3, 20));
        first.Lines.Select(l => (l.Line.Kind, l.Sku, l.Line.Quantity, l.Line.Amount, l.Line.TaxAmount, l.Line.TaxCodeId, l.Line.AccountId))
            .Should().Equal((BooksLineKind.Item, "SH-1", 1m, 25.00m, 1.81m, "TAX", "4010"));
        first.Total.Should().Be(26.81m, "the money returned");
        first.ExpectedRevenue.Should().Be(25.00m);

        second.Number.Should().Be("1001-R2");
        second.Lines.Select(l => (l.Line.Kind, l.Sku, l.Line.Amount, l.Line.TaxAmount, l.Line.TaxCodeId, l.Line.AccountId, l.SourcePath)).Should().Equal(
            (BooksLineKind.Other, null, 12.00m, 0.87m, "TAX", "4950", "Refunds[1].Lines[0]"),
            (BooksLineKind.Shipping, null, 10.00m, 0m, "NON", "4300", "Refunds[1].Shipping"),
            (BooksLineKind.Other, null, 3.00m, 0m, "NON", "4950", "Refunds[1].Amount"));
        second.Lines[0].Line.Description.Should().Contain("not returned to stock");
        second.Lines[2].Line.Description.Should().Be("Refund not itemised by the store: damaged");
        second.Total.Should().Be(25.87m);
        second.ExpectedRevenue.Should().Be(25.00m);

        planner.ExpectedRevenue(order).Should().Be(22.00m, "invoice 72.00 less credit notes 25.00 and 25.00");
        var note = first.ToCreditNote("cust-1", new Dictionary<string, string> { ["SH-1"] = "qb-7" });
        note.Lines.Should().ContainSingle().Which.ItemId.Should().Be("qb-7");
        note.OriginalInvoiceNumber.Should().Be("1001");
    }

    [Fact]
    public async Task NonStockItemSku_IsOnEveryOtherLine_ResolvedLikeAnySku_AndNoOtherKindOfLine()
    {
        // Refund r2: a mug refunded but not restocked, shipping, and 3.00 the store does not explain: two Other lines.
        var order = RefundedOrder();
        var planner = Planner(r => r.NonStockItemSku = " SVC-1 ");

        var refund = planner.PlanRefund(order, "r2");
        var sale = planner.PlanSale(UsOrder() with { Lines = [UsOrder().Lines[0], UsOrder().Lines[1] with { Sku = null, ProductType = "Shirts" }] });

        refund.Lines.Select(l => (l.Line.Kind, l.Sku)).Should().Equal(
            (BooksLineKind.Other, "SVC-1"), (BooksLineKind.Shipping, null), (BooksLineKind.Other, "SVC-1"));
        sale.Invoice.Lines.Select(l => (l.Line.Kind, l.Sku)).Should().Equal(
            (BooksLineKind.Item, "SH-1"), (BooksLineKind.Discount, null), (BooksLineKind.Other, "SVC-1"), (BooksLineKind.Shipping, null));
        refund.Skus.Should().Equal("SVC-1");
        var ids = await StoreToBooks.ResolveItemsAsync(refund, (sku, _) => Task.FromResult<string?>(sku == "SVC-1" ? "qb-99" : null));
        refund.ToCreditNote("cust-1", ids).Lines.Select(l => (l.Kind, l.ItemId, l.AccountId)).Should().Equal(
            (BooksLineKind.Other, "qb-99", "4950"), (BooksLineKind.Shipping, null, "4300"), (BooksLineKind.Other, "qb-99", "4950"));
        var missing = () => StoreToBooks.ResolveItemsAsync(refund, (_, _) => Task.FromResult<string?>(null));
        (await missing.Should().ThrowAsync<MappingValidationException>()).Which.Errors.Select(e => e.SourcePath).Should().Equal("Refunds[1].Lines[0]", "Refunds[1].Amount");
        Planner().PlanRefund(order, "r2").Lines.Select(l => l.Sku).Should().AllBeEquivalentTo((string?)null, "without the rule Other lines carry no item (Xero books them on the account alone)");
    }

    [Theory]
    [InlineData("eur", "EUR")]
    [InlineData("USD", "USD")]
    public void Customer_CarriesTheOrdersCurrency(string currency, string expected)
    {
        var order = UsOrder() with { Currency = currency };

        Planner().Customer(order).Currency.Should().Be(expected);
    }

    [Fact]
    public void PlanRefund_OfGoodsNotRestocked_WithNoAccountForThem_FailsNamingTheRefundLine()
    {
        var order = RefundedOrder();

        var error = Assert.Throws<MappingValidationException>(() => Planner(r => r.RefundAccountId = null).PlanRefund(order, "r2")).Errors;

        error.Select(e => e.SourcePath).Should().Equal("Refunds[1].Lines[0]", "Refunds[1].Amount");
        error[0].Message.Should().Contain("'Mug'").And.Contain("RefundAccountId");
    }

    [Fact]
    public void PlanRefund_OfAnUnknownRefund_FailsNamingIt()
    {
        var act = () => Planner().PlanRefund(RefundedOrder(), "r9");

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("no refund 'r9'");
    }

    [Fact]
    public void PlanSale_ATaxWithNoRule_FailsNamingTheTaxAndTheLine()
    {
        var order = UsOrder() with { Lines = [UsOrder().Lines[0], Line("2", "MUG-1", 1, 12.00m, 0, new StoreTaxLine("VAT", 0.2m, 2.40m))], Total = 73.66m };

        var failure = Assert.Throws<MappingValidationException>(() => Planner().PlanSale(order));

        var error = failure.Errors.Should().ContainSingle().Subject;
        error.SourcePath.Should().Be("Lines[1].Taxes[0]");
        error.Message.Should().Contain("'VAT' at 20 %").And.Contain("'Mug'").And.Contain("BooksPostingRules.TaxCodes");
        failure.Message.Should().Contain("Lines[1].Taxes[0]");
    }

    [Fact]
    public async Task ResolvingItems_ASkuTheBooksLack_FailsNamingTheLinesSku()
    {
        var invoice = Planner().PlanSale(UsOrder()).Invoice;

        var resolve = () => StoreToBooks.ResolveItemsAsync(invoice, (sku, _) => Task.FromResult<string?>(sku == "SH-1" ? "qb-7" : null));
        var toInvoice = () => invoice.ToInvoice("cust-1", new Dictionary<string, string> { ["SH-1"] = "qb-7" });

        (await resolve.Should().ThrowAsync<MappingValidationException>()).Which.Errors.Should().ContainSingle()
            .Which.Should().Be(new MappingError("Lines[1].Sku", "ItemId", "the books have no item with the SKU 'MUG-1'; add it there, then replay the order"));
        toInvoice.Should().Throw<MappingValidationException>().Which.Errors.Single().SourcePath.Should().Be("Lines[1].Sku");
        (await StoreToBooks.ResolveItemsAsync(invoice, (sku, _) => Task.FromResult<string?>("id-" + sku))).Should().Equal(
            new Dictionary<string, string> { ["SH-1"] = "id-SH-1", ["MUG-1"] = "id-MUG-1" });
    }

    [Fact]
    public void Customer_NamedByEmailWithoutAName_AndAGuestWithoutEmailFailsNamingEmail()
    {
        var planner = Planner();

        planner.Customer(UsOrder() with { Customer = null, Email = "guest@example.com" }).Name.Should().Be("guest@example.com");
        var error = Assert.Throws<MappingValidationException>(() => planner.Customer(UsOrder() with { Customer = null, Email = null })).Errors.Single();
        error.SourcePath.Should().Be("Email");
        error.Message.Should().Contain("guest checkout");
        Assert.Throws<MappingValidationException>(() => planner.PlanSale(UsOrder() with { Customer = null, Email = " " })).Errors.Select(e => e.SourcePath).Should().Equal("Email");
    }

    [Fact]
    public void PlanSale_WhoseFiguresDoNotAddUpToTheStoresTotal_FailsNamingTotal()
    {
        var error = Assert.Throws<MappingValidationException>(() => Planner().PlanSale(UsOrder() with { Total = 73.13m })).Errors.Single();

        error.SourcePath.Should().Be("Total");
        error.Message.Should().Contain("71.13").And.Contain("73.13");
    }

    [Theory]
    [InlineData(StorePaymentStatus.Paid, true, true)]
    [InlineData(StorePaymentStatus.PartiallyRefunded, true, true)]
    [InlineData(StorePaymentStatus.Refunded, true, true)]
    [InlineData(StorePaymentStatus.PartiallyPaid, false, false)]
    [InlineData(StorePaymentStatus.Pending, false, false)]
    [InlineData(StorePaymentStatus.Voided, false, false)]
    public void OnlyOrdersThatTookMoneyAreInvoiced_AndOnlyPaidOnesGetAPayment(StorePaymentStatus status, bool invoiced, bool paid)
    {
        var order = UsOrder() with { PaymentStatus = status };

        StoreToBooks.TookMoney(order).Should().Be(invoiced);
        var plan = Planner().PlanSale(order);
        plan.IsPaid.Should().Be(paid);
        (plan.ToPayment("inv-1") is not null).Should().Be(paid);
        Planner().ExpectedRevenue(order).Should().Be(invoiced ? 67.00m : 0m);
    }

    [Fact]
    public void Categories_TheFirstRuleThatSetsEachWins_AndShippingTakesOnlyOrderLevelRules()
    {
        var order = UsOrder() with { Channel = "pos", Tags = ["wholesale"] };
        var planner = Planner(r =>
        {
            r.Categories.Clear();
            r.Categories.Add(new CategoryRule { SkuPrefix = "MUG-", ClassId = "Kitchen" });
            r.Categories.Add(new CategoryRule { Tag = "WHOLESALE", IncomeAccountId = "4100" });
            r.Categories.Add(new CategoryRule { Channel = "POS", ClassId = "Retail", IncomeAccountId = "4200" });
        });

        var lines = planner.PlanSale(order).Invoice.Lines;

        lines.Select(l => (l.SourcePath, l.Line.AccountId, l.Line.ClassId)).Should().Equal(
            ("Lines[0]", "4100", "Retail"),
            ("Lines[0].Discount", "4900", "Retail"),
            ("Lines[1]", "4100", "Kitchen"),
            ("ShippingLines[0]", "4300", "Retail"));
    }

    [Fact]
    public void Rules_ThatAreNotValid_AreRefused_NamingEachEntry()
    {
        var rules = new BooksPostingRules { HomeCurrency = "dollars" };
        rules.TaxCodes.Add(new TaxCodeRule(" ") { Title = "VAT" });
        rules.TaxCodes.Add(new TaxCodeRule("TAX") { Rate = 20m });
        rules.Categories.Add(new CategoryRule { Channel = "pos" });
        rules.ExchangeRates["EUR"] = 0m;

        var error = Assert.Throws<ArgumentException>(() => new StoreToBooks(rules));

        error.ParamName.Should().Be("rules");
        error.Message.Should().Contain("HomeCurrency 'dollars'").And.Contain("TaxCodes[0].TaxCodeId is empty").And.Contain("TaxCodes[1].Rate is 20")
            .And.Contain("0.2 for 20 %").And.Contain("Categories[0] sets neither IncomeAccountId nor ClassId").And.Contain("ExchangeRates[\"EUR\"] is 0");
    }

    [Fact]
    public void Credits_OnlyRefundsThatGiveSomethingBack()
    {
        StoreToBooks.Credits(new StoreRefund { Id = "1", CreatedAt = Placed, Amount = 0 }).Should().BeFalse();
        StoreToBooks.Credits(new StoreRefund { Id = "2", CreatedAt = Placed, Amount = 0, Lines = [new StoreRefundLine { LineId = "1", Quantity = 1, Subtotal = 0, Restock = true }] }).Should().BeTrue();
        StoreToBooks.Credits(new StoreRefund { Id = "3", CreatedAt = Placed, Amount = 5 }).Should().BeTrue();
    }

    private static StoreToBooks Planner(Action<BooksPostingRules>? configure = null)
    {
        var rules = new BooksPostingRules
        {
            HomeCurrency = "USD", NoTaxCodeId = "NON", ShippingAccountId = "4300", DiscountAccountId = "4900", RefundAccountId = "4950", PaymentAccountId = "1010",
        };
        rules.TaxCodes.Add(new TaxCodeRule("TAX") { Title = "CA State Tax" });
        rules.Categories.Add(new CategoryRule { ProductType = "Shirts", IncomeAccountId = "4010" });
        rules.Categories.Add(new CategoryRule { Channel = "web", ClassId = "Online" });
        configure?.Invoke(rules);
        return new StoreToBooks(rules);
    }

    private static StoreOrderLine Line(string id, string sku, decimal quantity, decimal unitPrice, decimal discount, params StoreTaxLine[] taxes) => new()
    {
        Id = id, Sku = sku, Title = sku.StartsWith("SH", StringComparison.Ordinal) ? "Shirt" : sku.StartsWith("MUG", StringComparison.Ordinal) ? "Mug" : sku,
        ProductType = sku.StartsWith("SH", StringComparison.Ordinal) ? "Shirts" : null, Quantity = quantity, UnitPrice = unitPrice, Discount = discount, Taxes = taxes,
    };

    private static StoreOrder Order() => new()
    {
        Platform = "shopify", Id = "5001", Number = "1001", CreatedAt = Placed, UpdatedAt = Placed, Currency = "USD", PaymentStatus = StorePaymentStatus.Paid,
        Email = "Ada@Example.com ", Customer = new StoreCustomer { Id = "c1", FirstName = "Ada", LastName = "Lovelace" }, Channel = "web",
    };

    /// <summary>2 shirts at 25.00 less 5.00 (tax 7.25 % of 45.00 = 3.2625, charged 3.26), a mug at 12.00 (tax 0.87), untaxed shipping 10.00: 71.13.</summary>
    private static StoreOrder UsOrder() => Order() with
    {
        Lines = [Line("1", "SH-1", 2, 25.00m, 5.00m, new StoreTaxLine("CA State Tax", 0.0725m, 3.26m)), Line("2", "MUG-1", 1, 12.00m, 0, new StoreTaxLine("CA State Tax", 0.0725m, 0.87m))],
        ShippingLines = [new StoreShippingLine { Title = "Ground", Amount = 10.00m }],
        Discounts = [new StoreDiscount("SUMMER5", 5.00m)],
        TotalTax = 4.13m,
        Total = 71.13m,
    };

    /// <summary>
    /// 2 shirts at 25.00 (tax 3.63), a mug at 12.00 (tax 0.87), shipping 10.00: 76.50. Refund r1: one shirt back into
    /// stock, 25.00 + 1.81 tax. Refund r2: the mug kept by the customer (12.00 + 0.87), the shipping and 3.00 more: 25.87.
    /// </summary>
    private static StoreOrder RefundedOrder() => Order() with
    {
        PaymentStatus = StorePaymentStatus.PartiallyRefunded,
        Lines = [Line("1", "SH-1", 2, 25.00m, 0, new StoreTaxLine("CA State Tax", 0.0725m, 3.63m)), Line("2", "MUG-1", 1, 12.00m, 0, new StoreTaxLine("CA State Tax", 0.0725m, 0.87m))],
        ShippingLines = [new StoreShippingLine { Title = "Ground", Amount = 10.00m }],
        TotalTax = 4.50m,
        Total = 76.50m,
        Refunds =
        [
            new StoreRefund { Id = "r1", CreatedAt = Placed.AddDays(5), Amount = 26.81m, Lines = [new StoreRefundLine { LineId = "1", Sku = "SH-1", Quantity = 1, Subtotal = 25.00m, Tax = 1.81m, Restock = true }] },
            new StoreRefund
            {
                Id = "r2", CreatedAt = Placed.AddDays(6), Amount = 25.87m, Shipping = 10.00m, Reason = "damaged",
                Lines = [new StoreRefundLine { LineId = "2", Sku = "MUG-1", Quantity = 1, Subtotal = 12.00m, Tax = 0.87m, Restock = false }],
            },
        ],
    };
}
