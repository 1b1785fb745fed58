namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>The platform's work: queries, creates and updates, with QuickBooks' validation faults. Called under the state lock.</summary>
public sealed partial class QuickBooksSimulator
{
    private const string SalesItemLine = "SalesItemLineDetail";
    private const string SubTotalLine = "SubTotalLineDetail";
    private const string DiscountLine = "DiscountLineDetail";

    /// <summary>The item id Intuit documents for a shipping charge on a sales line.</summary>
    private const string ShippingItemId = "SHIPPING_ITEM_ID";

    private QboAnswer Query(QboQuery query, DateTimeOffset now)
    {
        List<JsonObject> all;
        if (_entities.TryGetValue(query.Entity, out var stored))
        {
            all = stored;
        }
        else if (Settings(query.Entity, now) is { } setting)
        {
            all = [setting];
        }
        else
        {
            return QboFaults.Validation(now, "4001", "Invalid query",
                $"QueryValidationError: the simulator serves {string.Join(", ", ServedNames)}, not '{query.Entity}' (entity names are case-sensitive)");
        }

        var page = all.Where(query.Matches).Skip(query.StartPosition - 1).Take(query.MaxResults).ToList();
        var response = new JsonObject();
        if (page.Count > 0)
        {
            response[query.Entity] = new JsonArray([.. page.Select(e => e.DeepClone())]);
            response["startPosition"] = query.StartPosition;
            response["maxResults"] = page.Count;
        }

        return new QboAnswer(200, new JsonObject { ["QueryResponse"] = response, ["time"] = QboFaults.Time(now) }.ToJsonString());
    }

    private QboAnswer CreateCustomer(JsonObject body, DateTimeOffset now)
    {
        var displayName = Str(body["DisplayName"])?.Trim();
        if (string.IsNullOrEmpty(displayName))
        {
            var parts = new[] { Str(body["GivenName"]), Str(body["FamilyName"]) }.Where(p => !string.IsNullOrWhiteSpace(p));
            displayName = string.Join(' ', parts);
            if (displayName.Length == 0)
            {
                displayName = Str(body["CompanyName"])?.Trim();
            }
        }

        if (string.IsNullOrEmpty(displayName))
        {
            return QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                "Business Validation Error: one of Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix must be non-empty", "DisplayName");
        }

        if (FindByName("Customer", "DisplayName", displayName) is { } taken)
        {
            return QboFaults.Validation(now, "6240", "Duplicate Name Exists Error",
                $"The name supplied already exists. : Id={Str(taken["Id"])}");
        }

        var customerCurrency = Str(body["CurrencyRef"]?["value"])?.Trim().ToUpperInvariant() ?? _homeCurrency;
        if (customerCurrency != _homeCurrency && !MultiCurrencyEnabled)
        {
            return QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                $"Business Validation Error: multicurrency is not enabled for this company, so a customer can only be in {_homeCurrency}, not {customerCurrency}", "CurrencyRef");
        }

        var customer = (JsonObject)body.DeepClone();
        Stamp(customer, "Customer", now);
        customer["DisplayName"] = displayName;
        customer["FullyQualifiedName"] = displayName;
        customer["PrintOnCheckName"] ??= Str(body["CompanyName"]) ?? displayName;
        customer["Active"] ??= true;
        customer["Taxable"] ??= false;
        customer["Job"] ??= false;
        customer["BillWithParent"] ??= false;
        customer["PreferredDeliveryMethod"] ??= "Print";
        // A customer's currency is set when it is created and cannot change afterwards.
        customer["CurrencyRef"] = CurrencyRef(customerCurrency);
        customer["Balance"] = 0m;
        customer["BalanceWithJobs"] = 0m;
        _entities["Customer"].Add(customer);
        return Envelope("Customer", customer, now);
    }

    private QboAnswer CreateItem(JsonObject body, DateTimeOffset now)
    {
        var name = Str(body["Name"])?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return RequiredMissing(now, "Name");
        }

        if (FindByName("Item", "Name", name) is { } taken)
        {
            return QboFaults.Validation(now, "6240", "Duplicate Name Exists Error", $"The name supplied already exists. : Id={Str(taken["Id"])}");
        }

        var item = (JsonObject)body.DeepClone();
        Stamp(item, "Item", now);
        item["Name"] = name;
        item["FullyQualifiedName"] = name;
        item["Active"] ??= true;
        item["Taxable"] ??= false;
        item["UnitPrice"] ??= 0m;
        item["PurchaseCost"] ??= 0m;
        item["IncomeAccountRef"] ??= Account("79", "Sales of Product Income");
        var tracked = Bool(item["TrackQtyOnHand"]);
        item["TrackQtyOnHand"] = tracked;
        item["Type"] ??= tracked ? "Inventory" : "Service";
        if (tracked)
        {
            item["QtyOnHand"] = Dec(item["QtyOnHand"]) ?? 0m;
            item["InvStartDate"] ??= Date(now);
            item["AssetAccountRef"] ??= Account("81", "Inventory Asset");
            item["ExpenseAccountRef"] ??= Account("80", "Cost of Goods Sold");
        }

        _entities["Item"].Add(item);
        return Envelope("Item", item, now);
    }

    private QboAnswer UpdateItem(JsonObject body, DateTimeOffset now)
    {
        var id = Str(body["Id"]);
        if (FindById("Item", id) is not { } item)
        {
            return QboFaults.Validation(now, "610", "Object Not Found", $"Object Not Found : Item {id} does not exist", "Id");
        }

        var syncToken = Str(body["SyncToken"]);
        if (string.IsNullOrEmpty(syncToken))
        {
            return RequiredMissing(now, "SyncToken");
        }

        if (syncToken != Str(item["SyncToken"]))
        {
            return QboFaults.Validation(now, "5010", "Stale Object Error",
                $"Stale Object Error : You and someone else were working on this at the same time. They finished before you did, so your work was not saved. (SyncToken {syncToken} is not the current {Str(item["SyncToken"])})",
                "SyncToken");
        }

        if (body["QtyOnHand"] is { } quantity && Dec(quantity) is null)
        {
            return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property", "QtyOnHand must be a number", "QtyOnHand");
        }

        if (Str(body["Name"]) is { } newName && !string.Equals(newName, Str(item["Name"]), StringComparison.OrdinalIgnoreCase)
            && FindByName("Item", "Name", newName) is { } taken)
        {
            return QboFaults.Validation(now, "6240", "Duplicate Name Exists Error", $"The name supplied already exists. : Id={Str(taken["Id"])}");
        }

        var sparse = Bool(body["sparse"]);
        if (!sparse)
        {
            // A full update: writable fields the request leaves out are cleared.
            foreach (var key in item.Select(p => p.Key).Where(k => k is not ("Id" or "SyncToken" or "MetaData" or "domain")).ToList())
            {
                item.Remove(key);
            }
        }

        foreach (var (key, value) in body)
        {
            if (key is not ("Id" or "SyncToken" or "sparse" or "MetaData" or "domain"))
            {
                item[key] = value?.DeepClone();
            }
        }

        item["sparse"] = false;
        Touch(item, now);
        return Envelope("Item", item, now);
    }

    /// <summary>
    /// Creates an invoice, sales receipt or credit memo, in its customer's currency. Lines: <c>SalesItemLineDetail</c>
    /// (an item or Intuit's <c>SHIPPING_ITEM_ID</c>; without an item the line is documentation, its amount ignored, as
    /// Finance.xsd says) and at most one <c>DiscountLineDetail</c>; <c>SubTotalLineDetail</c> lines sent are ignored
    /// (QuickBooks recomputes them). TotalAmt = Σ sales lines − discount + tax (tax-exclusive), the tax being
    /// <c>TxnTaxDetail.TotalTax</c> when sent, else computed from the lines' tax codes.
    /// </summary>
    private QboAnswer CreateSale(string kind, JsonObject body, DateTimeOffset now)
    {
        var isInvoice = kind == "Invoice";
        var isCredit = kind == "CreditMemo";
        var customerId = Str(body["CustomerRef"]?["value"]);
        JsonObject? customer = null;
        if (customerId is null && kind != "SalesReceipt")
        {
            return RequiredMissing(now, "CustomerRef");
        }

        if (customerId is not null && (customer = FindById("Customer", customerId)) is null)
        {
            return QboFaults.Validation(now, "2500", "Invalid Reference Id", $"Invalid Reference Id : Customer {customerId} does not exist", "CustomerRef");
        }

        if (body["Line"] is not JsonArray lines || lines.Count == 0)
        {
            return QboFaults.Validation(now, "2020", "Required param missing, need to supply the required value for the API",
                "Required parameter Line is missing in the request", "Line");
        }

        var (currency, rate, refusedCurrency) = Currency(body, now);
        if (refusedCurrency is not null)
        {
            return refusedCurrency;
        }

        if (CustomerCurrencyMismatch(customer, currency, now) is { } refusedCustomerCurrency)
        {
            return refusedCustomerCurrency;
        }

        var calculation = Str(body["GlobalTaxCalculation"]);
        if (calculation is not (null or "TaxExcluded" or "TaxInclusive" or "NotApplicable"))
        {
            return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property",
                $"GlobalTaxCalculation must be TaxExcluded, TaxInclusive or NotApplicable, not '{calculation}'", "GlobalTaxCalculation");
        }

        var txnTaxCodeId = Str(body["TxnTaxDetail"]?["TxnTaxCodeRef"]?["value"]);
        if (txnTaxCodeId is not null && FindById("TaxCode", txnTaxCodeId) is null)
        {
            return InvalidReference(now, "TaxCode", txnTaxCodeId, "TxnTaxDetail.TxnTaxCodeRef");
        }

        var salesLines = new JsonArray();
        var discountLines = new JsonArray();
        var documentation = new JsonArray();
        var stock = new List<(JsonObject Item, decimal Qty)>();
        var sales = 0m;
        var discounts = 0m;
        var computedTax = 0m;
        var number = 0;
        foreach (var node in lines)
        {
            if (node is not JsonObject line)
            {
                return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property", "each Line must be an object", "Line");
            }

            var type = Str(line["DetailType"]);
            if (type == SubTotalLine)
            {
                continue;
            }

            if (type == DiscountLine)
            {
                if (Discount(line, sales, now) is not { } discount)
                {
                    continue;
                }

                if (discount.Refused is { } refusedDiscount)
                {
                    return refusedDiscount;
                }

                if (discountLines.Count > 0)
                {
                    // Finance.xsd: DiscountLineDetail is the discount on the whole transaction; one per transaction.
                    return QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                        "Business Validation Error: a transaction can have only one discount line (DiscountLineDetail)", "Line.DiscountLineDetail");
                }

                number++;
                discount.Line!["Id"] = number.ToString(CultureInfo.InvariantCulture);
                discount.Line["LineNum"] = number;
                discountLines.Add(discount.Line);
                discounts += discount.Amount;
                computedTax -= discount.Amount * TaxRateOf(Str(line[DiscountLine]?["TaxCodeRef"]?["value"]), txnTaxCodeId);
                continue;
            }

            if (type != SalesItemLine)
            {
                return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property",
                    $"the simulator supports SalesItemLineDetail and DiscountLineDetail lines only, not '{type}'", "Line.DetailType");
            }

            if (line[SalesItemLine] is not JsonObject detail)
            {
                return RequiredMissing(now, "Line.SalesItemLineDetail");
            }

            var itemId = Str(detail["ItemRef"]?["value"]);
            var shipping = itemId == ShippingItemId;
            JsonObject? item = null;
            if (shipping && !AllowShipping)
            {
                return QboFaults.Validation(now, "2500", "Invalid Reference Id",
                    "Invalid Reference Id : SHIPPING_ITEM_ID needs shipping turned on (Preferences.SalesFormsPrefs.AllowShipping)", "Line.SalesItemLineDetail.ItemRef");
            }

            if (itemId is not null && !shipping && (item = FindById("Item", itemId)) is null)
            {
                return QboFaults.Validation(now, "2500", "Invalid Reference Id", $"Invalid Reference Id : Item {itemId} does not exist",
                    "Line.SalesItemLineDetail.ItemRef");
            }

            if (itemId is null)
            {
                // Finance.xsd (ItemLineDetail.ItemRef): a line without an item is documentation; its Amount is ignored.
                number++;
                var note = new JsonObject
                {
                    ["Id"] = number.ToString(CultureInfo.InvariantCulture),
                    ["LineNum"] = number,
                    ["Amount"] = 0m,
                    ["DetailType"] = "DescriptionOnly",
                    ["DescriptionLineDetail"] = new JsonObject(),
                };
                if (Str(line["Description"]) is { } noteText)
                {
                    note["Description"] = noteText;
                }

                documentation.Add(note);
                continue;
            }

            if (Dec(line["Amount"]) is not { } amount)
            {
                return RequiredMissing(now, "Line.Amount");
            }

            var qty = Dec(detail["Qty"]);
            var price = Dec(detail["UnitPrice"]);
            if (qty is { } q && price is { } p && decimal.Round(q * p, 2, MidpointRounding.AwayFromZero) != amount)
            {
                return QboFaults.Validation(now, "6070", "Amount calculation incorrect in the request",
                    string.Create(CultureInfo.InvariantCulture, $"Amount is not equal to Qty * UnitPrice. Supplied value:{amount}"), "Line.Amount");
            }

            if (CheckReferences(detail, now, "Line.SalesItemLineDetail", ("TaxCodeRef", "TaxCode"), ("ClassRef", "Class"), ("ItemAccountRef", "Account")) is { } refusedReference)
            {
                return refusedReference;
            }

            number++;
            var writtenDetail = new JsonObject();
            if (shipping)
            {
                writtenDetail["ItemRef"] = new JsonObject { ["value"] = ShippingItemId, ["name"] = "Shipping" };
            }
            else
            {
                qty ??= price is { } unit && unit != 0 ? amount / unit : 1;
                price ??= qty != 0 ? amount / qty : Dec(item?["UnitPrice"]) ?? 0;
                if (item is not null)
                {
                    writtenDetail["ItemRef"] = new JsonObject { ["value"] = Str(item["Id"]), ["name"] = Str(item["Name"]) };
                }

                writtenDetail["UnitPrice"] = price;
                writtenDetail["Qty"] = qty;
            }

            if (detail["ClassRef"]?.DeepClone() is { } classRef)
            {
                writtenDetail["ClassRef"] = classRef;
            }

            var account = detail["ItemAccountRef"]?.DeepClone() ?? (shipping ? AccountRef(ShippingIncomeAccountId) : item?["IncomeAccountRef"]?.DeepClone());
            if (account is not null)
            {
                writtenDetail["ItemAccountRef"] = account;
            }

            var taxCode = Str(detail["TaxCodeRef"]?["value"]) ?? "NON";
            writtenDetail["TaxCodeRef"] = new JsonObject { ["value"] = taxCode };
            var writtenLine = new JsonObject
            {
                ["Id"] = number.ToString(CultureInfo.InvariantCulture),
                ["LineNum"] = number,
                ["Amount"] = amount,
                ["DetailType"] = SalesItemLine,
                [SalesItemLine] = writtenDetail,
            };
            if (Str(line["Description"]) is { } description)
            {
                writtenLine["Description"] = description;
            }

            salesLines.Add(writtenLine);
            sales += amount;
            computedTax += amount * TaxRateOf(taxCode, txnTaxCodeId);
            if (item is not null && Bool(item["TrackQtyOnHand"]))
            {
                stock.Add((item, qty!.Value));
            }
        }

        if (salesLines.Count == 0)
        {
            return QboFaults.Validation(now, "2020", "Required param missing, need to supply the required value for the API",
                "Required parameter Line is missing in the request: no SalesItemLineDetail line", "Line");
        }

        var inclusive = calculation == "TaxInclusive";
        var sentTax = Dec(body["TxnTaxDetail"]?["TotalTax"]);
        var tax = sentTax ?? decimal.Round(inclusive ? computedTax / (1 + (sales == 0 ? 0 : computedTax / sales)) : computedTax, 2, MidpointRounding.AwayFromZero);
        var total = inclusive ? sales - discounts : sales - discounts + tax;
        var written = new JsonArray([.. salesLines.Concat(documentation).OrderBy(l => (int)l!["LineNum"]!).Select(l => l!.DeepClone())]);
        written.Add(new JsonObject { ["Amount"] = sales, ["DetailType"] = SubTotalLine, [SubTotalLine] = new JsonObject() });
        foreach (var discount in discountLines)
        {
            written.Add(discount!.DeepClone());
        }

        var sale = (JsonObject)body.DeepClone();
        var id = Stamp(sale, kind, now);
        var txnDate = Str(body["TxnDate"]) ?? Date(now);
        sale["DocNumber"] = Str(body["DocNumber"]) ?? (1000 + id).ToString(CultureInfo.InvariantCulture);
        sale["TxnDate"] = txnDate;
        sale["CurrencyRef"] = CurrencyRef(currency);
        sale.Remove("ExchangeRate");
        sale.Remove("HomeTotalAmt");
        if (MultiCurrencyEnabled)
        {
            sale["ExchangeRate"] = rate;
        }

        sale["Line"] = written;
        var taxDetail = new JsonObject();
        if (txnTaxCodeId is not null)
        {
            taxDetail["TxnTaxCodeRef"] = new JsonObject { ["value"] = txnTaxCodeId };
        }

        taxDetail["TotalTax"] = tax;
        sale["TxnTaxDetail"] = taxDetail;
        sale["LinkedTxn"] ??= new JsonArray();
        sale["ApplyTaxAfterDiscount"] ??= false;
        sale["PrintStatus"] ??= "NotSet";
        sale["EmailStatus"] ??= "NotSet";
        sale["TotalAmt"] = total;
        sale["Balance"] = kind == "SalesReceipt" ? 0m : total;
        if (currency != _homeCurrency)
        {
            sale["HomeTotalAmt"] = decimal.Round(total * rate, 2, MidpointRounding.AwayFromZero);
        }

        if (customer is not null)
        {
            sale["CustomerRef"] = new JsonObject { ["value"] = Str(customer["Id"]), ["name"] = Str(customer["DisplayName"]) };
            if (customer["PrimaryEmailAddr"] is JsonObject email)
            {
                sale["BillEmail"] ??= email.DeepClone();
            }
        }

        if (isInvoice)
        {
            sale["Deposit"] ??= 0m;
            sale["AllowOnlineCreditCardPayment"] ??= false;
            sale["AllowOnlineACHPayment"] ??= false;
            sale["DueDate"] ??= DateOnly.ParseExact(txnDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            AddToBalance(customer, total);
        }
        else if (isCredit)
        {
            sale["RemainingCredit"] = total;
            AddToBalance(customer, -total);
        }
        else
        {
            sale["DepositToAccountRef"] ??= AccountRef(UndepositedFundsAccountId);
        }

        foreach (var (item, qty) in stock)
        {
            // Sales take tracked quantities out of stock; a credit memo puts them back (goods returned).
            item["QtyOnHand"] = (Dec(item["QtyOnHand"]) ?? 0) + (isCredit ? qty : -qty);
            Touch(item, now);
        }

        _entities[kind].Add(sale);
        return Envelope(kind, sale, now);
    }

    /// <summary>A discount line as written back, or a refusal; null for a discount line of no amount and no percent (ignored).</summary>
    /// <summary>
    /// A transaction is in its customer's currency (the customer's <c>CurrencyRef</c>, fixed when it was created); a
    /// transaction in another currency is refused. Null when they agree or there is no customer.
    /// </summary>
    private QboAnswer? CustomerCurrencyMismatch(JsonObject? customer, string currency, DateTimeOffset now)
    {
        var customerCurrency = Str(customer?["CurrencyRef"]?["value"])?.ToUpperInvariant() ?? _homeCurrency;
        return customer is null || customerCurrency == currency
            ? null
            : QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                $"Business Validation Error: The transaction needs to be in the same currency as the customer: customer {Str(customer["Id"])} is in {customerCurrency}, the transaction in {currency}",
                "CurrencyRef");
    }

    private DiscountOutcome? Discount(JsonObject line, decimal salesAbove, DateTimeOffset now)
    {
        var detail = line[DiscountLine] as JsonObject ?? [];
        var percentBased = Bool(detail["PercentBased"]);
        var amount = percentBased && Dec(detail["DiscountPercent"]) is { } percent
            ? decimal.Round(salesAbove * percent / 100m, 2, MidpointRounding.AwayFromZero)
            : Dec(line["Amount"]);
        if (amount is null)
        {
            return new DiscountOutcome(0, null, RequiredMissing(now, "Line.Amount"));
        }

        if (amount < 0)
        {
            return new DiscountOutcome(0, null, QboFaults.Validation(now, "2010", "Request has invalid or unsupported property",
                "a discount line's Amount is what is taken off, a positive number", "Line.Amount"));
        }

        if (CheckReferences(detail, now, "Line.DiscountLineDetail", ("DiscountAccountRef", "Account"), ("ClassRef", "Class"), ("TaxCodeRef", "TaxCode")) is { } refused)
        {
            return new DiscountOutcome(0, null, refused);
        }

        var written = new JsonObject { ["PercentBased"] = percentBased };
        if (percentBased && Dec(detail["DiscountPercent"]) is { } rate)
        {
            written["DiscountPercent"] = rate;
        }

        written["DiscountAccountRef"] = detail["DiscountAccountRef"]?.DeepClone() ?? AccountRef(DiscountsGivenAccountId);
        foreach (var name in new[] { "ClassRef", "TaxCodeRef" })
        {
            if (detail[name]?.DeepClone() is { } reference)
            {
                written[name] = reference;
            }
        }

        var writtenLine = new JsonObject { ["Amount"] = amount, ["DetailType"] = DiscountLine, [DiscountLine] = written };
        if (Str(line["Description"]) is { } description)
        {
            writtenLine["Description"] = description;
        }

        return new DiscountOutcome(amount.Value, writtenLine, null);
    }

    private sealed record DiscountOutcome(decimal Amount, JsonObject? Line, QboAnswer? Refused);

    /// <summary>
    /// Creates a payment: <c>CustomerRef</c> and <c>TotalAmt</c> are required; each line applies its <c>Amount</c> to the
    /// invoice in its <c>LinkedTxn</c>, which must be the customer's and in the payment's currency, and lowers that
    /// invoice's <c>Balance</c>; the lines may not apply more than <c>TotalAmt</c>; the rest is <c>UnappliedAmt</c>.
    /// </summary>
    private QboAnswer CreatePayment(JsonObject body, DateTimeOffset now)
    {
        var customerId = Str(body["CustomerRef"]?["value"]);
        if (customerId is null)
        {
            return RequiredMissing(now, "CustomerRef");
        }

        if (FindById("Customer", customerId) is not { } customer)
        {
            return InvalidReference(now, "Customer", customerId, "CustomerRef");
        }

        if (Dec(body["TotalAmt"]) is not { } total)
        {
            return RequiredMissing(now, "TotalAmt");
        }

        if (total < 0)
        {
            return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property", "TotalAmt cannot be negative", "TotalAmt");
        }

        var (currency, rate, refusedCurrency) = Currency(body, now);
        if (refusedCurrency is not null)
        {
            return refusedCurrency;
        }

        if (CustomerCurrencyMismatch(customer, currency, now) is { } refusedCustomerCurrency)
        {
            return refusedCustomerCurrency;
        }

        if (CheckReferences(body, now, string.Empty, ("DepositToAccountRef", "Account")) is { } refusedAccount)
        {
            return refusedAccount;
        }

        var applied = new List<(JsonObject Invoice, decimal Amount)>();
        var written = new JsonArray();
        foreach (var node in body["Line"] as JsonArray ?? [])
        {
            if (node is not JsonObject line || Dec(line["Amount"]) is not { } amount)
            {
                return RequiredMissing(now, "Line.Amount");
            }

            if (line["LinkedTxn"] is not JsonArray { Count: 1 } links || links[0] is not JsonObject link)
            {
                return QboFaults.Validation(now, "2020", "Required param missing, need to supply the required value for the API",
                    "Required parameter Line.LinkedTxn is missing in the request: each payment line links one transaction", "Line.LinkedTxn");
            }

            var txnId = Str(link["TxnId"]);
            if (!string.Equals(Str(link["TxnType"]), "Invoice", StringComparison.Ordinal))
            {
                return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property",
                    $"the simulator applies payments to invoices only (LinkedTxn.TxnType Invoice), not '{Str(link["TxnType"])}'", "Line.LinkedTxn.TxnType");
            }

            if (FindById("Invoice", txnId) is not { } invoice)
            {
                return InvalidReference(now, "Invoice", txnId ?? "(none)", "Line.LinkedTxn.TxnId");
            }

            if (Str(invoice["CustomerRef"]?["value"]) != customerId)
            {
                return QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                    $"Business Validation Error: invoice {txnId} belongs to another customer than {customerId}", "Line.LinkedTxn.TxnId");
            }

            if (Str(invoice["CurrencyRef"]?["value"]) != currency)
            {
                return QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                    $"Business Validation Error: the payment is in {currency}, invoice {txnId} in {Str(invoice["CurrencyRef"]?["value"])}", "CurrencyRef");
            }

            applied.Add((invoice, amount));
            written.Add(new JsonObject
            {
                ["Amount"] = amount,
                ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = txnId, ["TxnType"] = "Invoice" }),
            });
        }

        var appliedTotal = applied.Sum(a => a.Amount);
        if (appliedTotal > total)
        {
            return QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                string.Create(CultureInfo.InvariantCulture, $"Business Validation Error: the lines apply {appliedTotal}, more than the payment's TotalAmt {total}"), "TotalAmt");
        }

        var payment = (JsonObject)body.DeepClone();
        var id = Stamp(payment, "Payment", now);
        payment["TxnDate"] = Str(body["TxnDate"]) ?? Date(now);
        payment["CustomerRef"] = new JsonObject { ["value"] = customerId, ["name"] = Str(customer["DisplayName"]) };
        payment["CurrencyRef"] = CurrencyRef(currency);
        payment.Remove("ExchangeRate");
        if (MultiCurrencyEnabled)
        {
            payment["ExchangeRate"] = rate;
        }

        payment["DepositToAccountRef"] ??= AccountRef(UndepositedFundsAccountId);
        payment["Line"] = written;
        payment["TotalAmt"] = total;
        payment["UnappliedAmt"] = total - appliedTotal;
        payment["ProcessPayment"] = false;
        foreach (var (invoice, amount) in applied)
        {
            // Overpaying an invoice is not refused: its Balance goes below zero (assumed), and DuplicateDocuments counts it.
            invoice["Balance"] = (Dec(invoice["Balance"]) ?? 0) - amount;
            var links = invoice["LinkedTxn"] as JsonArray ?? [];
            links.Add(new JsonObject { ["TxnId"] = id.ToString(CultureInfo.InvariantCulture), ["TxnType"] = "Payment" });
            invoice["LinkedTxn"] = links;
            Touch(invoice, now);
        }

        AddToBalance(customer, -appliedTotal);
        _entities["Payment"].Add(payment);
        return Envelope("Payment", payment, now);
    }

    /// <summary>
    /// The document's currency and rate (home units per unit): the home currency at 1 when <c>CurrencyRef</c> is left
    /// out; another currency only with multicurrency on and an explicit <c>ExchangeRate</c> (the simulator keeps no rate table).
    /// </summary>
    private (string Currency, decimal Rate, QboAnswer? Refused) Currency(JsonObject body, DateTimeOffset now)
    {
        var currency = Str(body["CurrencyRef"]?["value"])?.Trim().ToUpperInvariant() ?? _homeCurrency;
        if (currency == _homeCurrency)
        {
            return (currency, 1m, null);
        }

        if (!MultiCurrencyEnabled)
        {
            return (currency, 0, QboFaults.Validation(now, "6000", "A business validation error has occurred while processing your request",
                $"Business Validation Error: multicurrency is not enabled for this company, so a transaction can only be in {_homeCurrency}, not {currency}", "CurrencyRef"));
        }

        return Dec(body["ExchangeRate"]) is { } rate and > 0
            ? (currency, rate, null)
            : (currency, 0, QboFaults.Validation(now, "2020", "Required param missing, need to supply the required value for the API",
                $"Required parameter ExchangeRate is missing in the request: the simulator has no rate for {currency} (send ExchangeRate, home units per unit)", "ExchangeRate"));
    }

    /// <summary>The first reference among <paramref name="references"/> (property, entity) that names no existing entity, as a 2500 fault.</summary>
    private QboAnswer? CheckReferences(JsonObject owner, DateTimeOffset now, string path, params (string Property, string Entity)[] references)
    {
        foreach (var (property, entity) in references)
        {
            var id = Str(owner[property]?["value"]);
            if (id is not null && FindById(entity, id) is null)
            {
                return InvalidReference(now, entity, id, path.Length == 0 ? property : path + "." + property);
            }
        }

        return null;
    }

    private static QboAnswer InvalidReference(DateTimeOffset now, string entity, string id, string element) =>
        QboFaults.Validation(now, "2500", "Invalid Reference Id", $"Invalid Reference Id : {entity} {id} does not exist", element);

    /// <summary>
    /// A line's tax rate as a fraction: its tax code's sales rates; the US pseudo code <c>TAX</c> takes the rate of
    /// <c>TxnTaxDetail.TxnTaxCodeRef</c>, <c>NON</c> none.
    /// </summary>
    private decimal TaxRateOf(string? taxCodeId, string? txnTaxCodeId)
    {
        var codeId = taxCodeId == "TAX" ? txnTaxCodeId : taxCodeId;
        if (codeId is null or "NON" or "TAX" || FindById("TaxCode", codeId) is not { } code)
        {
            return 0m;
        }

        var rate = 0m;
        foreach (var detail in (code["SalesTaxRateList"]?["TaxRateDetail"] as JsonArray ?? []).OfType<JsonObject>())
        {
            rate += Dec(FindById("TaxRate", Str(detail["TaxRateRef"]?["value"]))?["RateValue"]) ?? 0m;
        }

        return rate / 100m;
    }

    private static void AddToBalance(JsonObject? customer, decimal amount)
    {
        if (customer is not null)
        {
            customer["Balance"] = (Dec(customer["Balance"]) ?? 0) + amount;
        }
    }

    /// <summary>A single-object read: the entity, or 610 Object Not Found.</summary>
    private QboAnswer Read(string kind, string id, DateTimeOffset now) =>
        (Settings(kind, now) is { } setting && (id == RealmId || id == Str(setting["Id"])) ? setting : FindById(kind, id)) is { } entity
            ? Envelope(kind, entity, now)
            : QboFaults.Validation(now, "610", "Object Not Found", $"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts. ({kind} {id} does not exist)", "Id");

    /// <summary>A currency reference as QuickBooks writes it on customers and transactions: the ISO code and its name.</summary>
    private static JsonObject CurrencyRef(string code) => new() { ["value"] = code, ["name"] = CurrencyName(code) };

    private static string CurrencyName(string code) => code switch
    {
        "USD" => "United States Dollar",
        "EUR" => "Euro",
        "GBP" => "British Pound Sterling",
        "CAD" => "Canadian Dollar",
        "AUD" => "Australian Dollar",
        "NZD" => "New Zealand Dollar",
        "JPY" => "Japanese Yen",
        _ => code,
    };

    /// <summary>A reference to one of the accounts of a new QuickBooks company (ids and names as in Intuit's API reference examples).</summary>
    private static JsonObject Account(string id, string name) => new() { ["value"] = id, ["name"] = name };

    /// <summary>A reference to an account of the simulator's chart of accounts, with its name.</summary>
    private JsonObject AccountRef(string id) => new() { ["value"] = id, ["name"] = Str(FindById("Account", id)?["Name"]) ?? id };

    private static string Date(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static QboAnswer RequiredMissing(DateTimeOffset now, string element) =>
        QboFaults.Validation(now, "2020", "Required param missing, need to supply the required value for the API",
            $"Required parameter {element} is missing in the request", element);

    private static QboAnswer Envelope(string kind, JsonObject entity, DateTimeOffset now) =>
        new(200, new JsonObject { [kind] = entity.DeepClone(), ["time"] = QboFaults.Time(now) }.ToJsonString());

    /// <summary>Gives a new entity its id, version and timestamps; returns the id.</summary>
    private int Stamp(JsonObject entity, string kind, DateTimeOffset now)
    {
        var id = ++_lastIds[kind];
        entity["Id"] = id.ToString(CultureInfo.InvariantCulture);
        entity["SyncToken"] = "0";
        entity["domain"] = "QBO";
        entity["sparse"] = false;
        entity["MetaData"] = new JsonObject { ["CreateTime"] = QboFaults.Time(now), ["LastUpdatedTime"] = QboFaults.Time(now) };
        return id;
    }

    /// <summary>Records a change: the next version and the last-updated time.</summary>
    private static void Touch(JsonObject entity, DateTimeOffset now)
    {
        var version = int.TryParse(Str(entity["SyncToken"]), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        entity["SyncToken"] = (version + 1).ToString(CultureInfo.InvariantCulture);
        if (entity["MetaData"] is not JsonObject meta)
        {
            meta = new JsonObject { ["CreateTime"] = QboFaults.Time(now) };
            entity["MetaData"] = meta;
        }

        meta["LastUpdatedTime"] = QboFaults.Time(now);
    }

    /// <summary>The company's settings, built from the simulator's properties: <c>CompanyInfo</c> and <c>Preferences</c> (null for other names).</summary>
    private JsonObject? Settings(string kind, DateTimeOffset now)
    {
        JsonObject? setting = kind switch
        {
            "CompanyInfo" => new JsonObject
            {
                ["CompanyName"] = CompanyName,
                ["LegalName"] = CompanyName,
                ["Country"] = _homeCurrency switch { "GBP" => "GB", "CAD" => "CA", "AUD" => "AU", "EUR" => "FR", _ => "US" },
                ["SupportedLanguages"] = "en",
                ["DefaultTimeZone"] = "America/Los_Angeles",
            },
            "Preferences" => new JsonObject
            {
                ["SalesFormsPrefs"] = new JsonObject { ["AllowShipping"] = AllowShipping, ["DefaultShippingAccount"] = ShippingIncomeAccountId },
                ["CurrencyPrefs"] = new JsonObject { ["MultiCurrencyEnabled"] = MultiCurrencyEnabled, ["HomeCurrency"] = new JsonObject { ["value"] = _homeCurrency } },
            },
            _ => null,
        };
        if (setting is not null)
        {
            setting["Id"] = "1";
            setting["SyncToken"] = "0";
            setting["domain"] = "QBO";
            setting["sparse"] = false;
            setting["MetaData"] = new JsonObject { ["CreateTime"] = QboFaults.Time(_created), ["LastUpdatedTime"] = QboFaults.Time(now) };
        }

        return setting;
    }

    private JsonObject? FindById(string kind, string? id) =>
        id is null ? null : _entities[kind].FirstOrDefault(e => Str(e["Id"]) == id);

    private JsonObject? FindByName(string kind, string field, string name) =>
        _entities[kind].FirstOrDefault(e => string.Equals(Str(e[field])?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
}
