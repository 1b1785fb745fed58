using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.Xero;

/// <summary>
/// The organisation's settings (organisation, currencies, tax rates, accounts, tracking categories) and the bookkeeping
/// rules of invoices, credit notes and payments, as Xero's Accounting API documents them (<c>xero_accounting.yaml</c>:
/// <c>LineItem</c>, <c>Invoice</c>, <c>CreditNote</c>, <c>Payment</c>). Assumptions beyond the docs are listed in
/// docs/testing.md.
/// </summary>
public sealed partial class XeroSimulator
{
    /// <summary>The statuses whose documents count in the books (a draft or voided one does not).</summary>
    private static readonly string[] Booked = ["AUTHORISED", "PAID"];

    /// <summary>The organisation's base currency (ISO 4217), <c>BaseCurrency</c> of <c>GET /Organisation</c>. <value>Default: <c>USD</c>.</value></summary>
    public string HomeCurrency { get; set; } = "USD";

    /// <summary>The organisation's name. <value>Default: <c>Simulated Organisation</c>.</value></summary>
    public string OrganisationName { get; set; } = "Simulated Organisation";

    /// <summary>
    /// The foreign currencies the organisation has added (a document in any other currency than these and
    /// <see cref="HomeCurrency"/> is refused, as Xero refuses a currency the organisation has not added).
    /// <value>Default: USD, EUR, GBP, CAD, AUD, NZD.</value>
    /// </summary>
    public ISet<string> Currencies { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "USD", "EUR", "GBP", "CAD", "AUD", "NZD" };

    /// <summary>
    /// Xero's rate of the day per currency, in Xero's direction (units of the currency per 1 unit of
    /// <see cref="HomeCurrency"/>), used for a foreign document that states no <c>CurrencyRate</c>. A foreign document
    /// with neither is refused (Xero would take XE.com's rate; the simulator has none).
    /// </summary>
    public IDictionary<string, decimal> DayRates { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Invoices created (any type and status).</summary>
    public int InvoiceCount => Locked(() => _records["Invoices"].Count);

    /// <summary>Credit notes created (any type and status).</summary>
    public int CreditNoteCount => Locked(() => _records["CreditNotes"].Count);

    /// <summary>Payments created.</summary>
    public int PaymentCount => Locked(() => _records["Payments"].Count);

    /// <summary>
    /// Invoices or credit notes whose number repeats an earlier one of the same kind (Xero's API accepts them; a sync
    /// must not make them), plus invoices paid (and credited) beyond their total.
    /// </summary>
    public int DuplicateDocuments => Locked(() =>
        Repeats(_records["Invoices"], "InvoiceNumber") + Repeats(_records["CreditNotes"], "CreditNoteNumber")
        + _records["Invoices"].Count(i => (Num(i["AmountPaid"]) ?? 0) + (Num(i["AmountCredited"]) ?? 0) > (Num(i["Total"]) ?? 0)));

    /// <summary>
    /// The sales revenue in <see cref="HomeCurrency"/>, net of customer credit notes: for each authorised or paid sales
    /// invoice (<c>ACCREC</c>) its <c>SubTotal</c> converted at its own <c>CurrencyRate</c> (SubTotal ÷ rate, to cents),
    /// less the same of each authorised or paid <c>ACCRECCREDIT</c> credit note.
    /// </summary>
    /// <returns>The revenue.</returns>
    public decimal RevenueInHomeCurrency() => Locked(() =>
        Home(_records["Invoices"], "ACCREC") - Home(_records["CreditNotes"], "ACCRECCREDIT"));

    /// <summary>The quantity on hand of the tracked item with this code, or <see langword="null"/> (no such item, or not tracked).</summary>
    /// <param name="sku">The item's code.</param>
    /// <returns>The quantity.</returns>
    public decimal? QuantityOnHand(string sku) => Locked(() =>
        _records["Items"].FirstOrDefault(i => Str(i["Code"]) == sku) is { } item && item["IsTrackedAsInventory"]?.GetValue<bool>() == true
            ? Num(item["QuantityOnHand"]) ?? 0
            : (decimal?)null);

    /// <summary>Adds an active tax rate (<c>GET /TaxRates</c>), or replaces the one with this tax type.</summary>
    /// <param name="id">The tax type lines carry, for example <c>OUTPUT2</c>.</param>
    /// <param name="name">The name.</param>
    /// <param name="ratePercent">The rate in percent (20 for 20 %).</param>
    public void AddTaxCode(string id, string name, decimal ratePercent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(ratePercent);
        var rate = new JsonObject
        {
            ["Name"] = name,
            ["TaxType"] = id,
            ["TaxComponents"] = new JsonArray(new JsonObject { ["Name"] = name, ["Rate"] = ratePercent, ["IsCompound"] = false, ["IsNonRecoverable"] = false }),
            ["Status"] = "ACTIVE",
            ["ReportTaxType"] = "OUTPUT",
            ["CanApplyToRevenue"] = true,
            ["DisplayTaxRate"] = ratePercent,
            ["EffectiveRate"] = ratePercent,
        };
        lock (Gate)
        {
            _records["TaxRates"].RemoveAll(r => Str(r["TaxType"]) == id);
            _records["TaxRates"].Add(rate);
        }
    }

    /// <summary>Adds an active account to the chart of accounts (<c>GET /Accounts</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="type">Xero's account type, for example <c>REVENUE</c>, <c>SALES</c> or <c>BANK</c> (payments may go to a <c>BANK</c> account).</param>
    /// <param name="code">The code; a free one from 400 up when <see langword="null"/>.</param>
    /// <returns>The account's code: the id lines and payments use.</returns>
    public string AddAccount(string name, string type, string? code = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        lock (Gate)
        {
            var accounts = _records["Accounts"];
            code ??= Enumerable.Range(400, 10_000).Select(n => n.ToString(CultureInfo.InvariantCulture)).First(c => accounts.All(a => Str(a["Code"]) != c));
            if (accounts.Any(a => Str(a["Code"]) == code))
            {
                throw new ArgumentException($"The account code {code} is taken.", nameof(code));
            }

            var upper = type.ToUpperInvariant();
            var account = new JsonObject
            {
                ["AccountID"] = Guid.NewGuid().ToString(),
                ["Code"] = code,
                ["Name"] = name,
                ["Type"] = upper,
                ["Status"] = "ACTIVE",
                ["TaxType"] = "NONE",
                ["EnablePaymentsToAccount"] = false,
                ["Class"] = upper switch { "BANK" or "CURRENT" or "INVENTORY" or "FIXED" => "ASSET", "REVENUE" or "SALES" or "OTHERINCOME" => "REVENUE", "CURRLIAB" or "LIABILITY" => "LIABILITY", "EQUITY" => "EQUITY", _ => "EXPENSE" },
            };
            accounts.Add(account);
            if (upper == "BANK")
            {
                account["CurrencyCode"] = HomeCurrency;
                BankAccountCodes.Add(code);
            }

            return code;
        }
    }

    /// <summary>Adds an option to a tracking category (<c>GET /TrackingCategories</c>), creating the category if needed.</summary>
    /// <param name="category">The category's name, for example <c>Channel</c>.</param>
    /// <param name="option">The option's name, for example <c>Online</c>.</param>
    public void AddTrackingOption(string category, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentException.ThrowIfNullOrWhiteSpace(option);
        lock (Gate)
        {
            var found = _records["TrackingCategories"].FirstOrDefault(c => string.Equals(Str(c["Name"]), category, StringComparison.OrdinalIgnoreCase));
            if (found is null)
            {
                found = new JsonObject { ["TrackingCategoryID"] = Guid.NewGuid().ToString(), ["Name"] = category, ["Status"] = "ACTIVE", ["Options"] = new JsonArray() };
                _records["TrackingCategories"].Add(found);
            }

            var options = found["Options"]!.AsArray();
            if (!options.Any(o => string.Equals(Str(o?["Name"]), option, StringComparison.OrdinalIgnoreCase)))
            {
                options.Add(new JsonObject { ["TrackingOptionID"] = Guid.NewGuid().ToString(), ["Name"] = option, ["Status"] = "ACTIVE" });
            }
        }
    }

    /// <summary>A new organisation's settings: a sales account 200, a bank account 090 and the tax rate <c>NONE</c> (0 %).</summary>
    private void SeedSettings()
    {
        AddAccount("Sales", "REVENUE", "200");
        AddAccount("Business Bank Account", "BANK", "090");
        AddTaxCode("NONE", "No Tax", 0m);
    }

    /// <summary>The organisation and currency reads, built from the settings; <see langword="null"/> for a stored collection.</summary>
    private IResult? Settings(string collection)
    {
        if (string.Equals(collection, "Organisation", StringComparison.OrdinalIgnoreCase))
        {
            return Envelope("Organisations", new JsonArray(new JsonObject
            {
                ["OrganisationID"] = TenantId,
                ["Name"] = OrganisationName,
                ["LegalName"] = OrganisationName,
                ["PaysTax"] = true,
                ["Version"] = "GLOBAL",
                ["OrganisationType"] = "COMPANY",
                ["BaseCurrency"] = HomeCurrency,
                ["CountryCode"] = "US",
                ["IsDemoCompany"] = false,
                ["OrganisationStatus"] = "ACTIVE",
                ["DefaultSalesTax"] = "Tax Exclusive",
                ["DefaultPurchasesTax"] = "Tax Exclusive",
                ["Timezone"] = "UTC",
                ["OrganisationEntityType"] = "COMPANY",
                ["Class"] = "PREMIUM",
                ["Edition"] = "BUSINESS",
            }));
        }

        if (string.Equals(collection, "Currencies", StringComparison.OrdinalIgnoreCase))
        {
            var codes = new[] { HomeCurrency }.Concat(Currencies.Where(c => !string.Equals(c, HomeCurrency, StringComparison.OrdinalIgnoreCase))).Select(c => c.ToUpperInvariant());
            return Envelope("Currencies", new JsonArray([.. codes.Select(c => (JsonNode)new JsonObject { ["Code"] = c, ["Description"] = c })]));
        }

        return null;
    }

    /// <summary>
    /// Validates a new invoice (<paramref name="invoice"/>) or credit note, works out its lines and totals by Xero's rules,
    /// and, once valid, moves the stock of its tracked items. Nothing changes when it is refused.
    /// </summary>
    private List<string> NewDocument(JsonObject doc, bool invoice)
    {
        var (idField, numberField, prefix, types, openField) = invoice
            ? ("InvoiceID", "InvoiceNumber", "INV", new[] { "ACCREC", "ACCPAY" }, "AmountDue")
            : ("CreditNoteID", "CreditNoteNumber", "CN", new[] { "ACCRECCREDIT", "ACCPAYCREDIT" }, "RemainingCredit");
        var errors = new List<string>();
        var type = Str(doc["Type"]);
        if (type is null || !types.Contains(type))
        {
            errors.Add($"The document type must be one of {string.Join(", ", types)}.");
        }

        var contactId = Str(doc["Contact"]?["ContactID"]);
        var contact = _records["Contacts"].FirstOrDefault(c => Str(c["ContactID"]) == contactId);
        if (contact is null)
        {
            errors.Add("A Contact must be specified for this type of transaction");
        }

        var status = Str(doc["Status"]) ?? "DRAFT";
        var approved = status is "AUTHORISED" or "SUBMITTED";
        var amountTypes = Str(doc["LineAmountTypes"]) ?? "Exclusive";
        if (amountTypes is not ("Exclusive" or "Inclusive" or "NoTax"))
        {
            errors.Add($"LineAmountTypes '{amountTypes}' is not one of Exclusive, Inclusive, NoTax.");
        }

        // Currency: the base currency (rate 1) or one the organisation has added, at the given rate or the day's.
        var currency = (Str(doc["CurrencyCode"]) ?? HomeCurrency).ToUpperInvariant();
        decimal rate = 1;
        if (!string.Equals(currency, HomeCurrency, StringComparison.OrdinalIgnoreCase))
        {
            if (!Currencies.Contains(currency))
            {
                errors.Add($"Organisation is not subscribed to currency {currency}");
            }
            else if (Num(doc["CurrencyRate"]) is { } given)
            {
                rate = given <= 0 ? 0 : decimal.Round(given, 6, MidpointRounding.AwayFromZero);
                if (rate <= 0)
                {
                    errors.Add("The CurrencyRate must be greater than zero.");
                }
            }
            else if (DayRates.TryGetValue(currency, out var day))
            {
                rate = day;
            }
            else
            {
                errors.Add($"The simulator has no rate of the day for {currency}: send CurrencyRate, or set the simulator's DayRates.");
            }
        }

        var moves = new Dictionary<string, decimal>(StringComparer.Ordinal);
        decimal lineTotal = 0, taxTotal = 0, discountTotal = 0;
        if (doc["LineItems"] is not JsonArray { Count: > 0 } lines)
        {
            errors.Add("At least one line item must be specified.");
            lines = [];
        }

        foreach (var (line, n) in lines.OfType<JsonObject>().Select((l, i) => (l, i + 1)))
        {
            var (amount, tax, discount) = Line(line, n, invoice, approved, amountTypes, errors);
            lineTotal += amount;
            taxTotal += tax;
            discountTotal += discount;
            if (Str(line["ItemCode"]) is { } code && _records["Items"].FirstOrDefault(i => Str(i["Code"]) == code) is { } item
                && item["IsTrackedAsInventory"]?.GetValue<bool>() == true)
            {
                moves[code] = moves.GetValueOrDefault(code) + (Num(line["Quantity"]) ?? 0);
            }
        }

        var subTotal = amountTypes == "Inclusive" ? lineTotal - taxTotal : lineTotal;
        var total = subTotal + taxTotal;
        if (total < 0)
        {
            errors.Add("The document total must be zero or more; use a credit note for a negative amount.");
        }

        // Tracked inventory moves when the document is approved: a sale takes stock out, a customer credit note puts it back.
        var sign = type switch { "ACCREC" => -1, "ACCRECCREDIT" => 1, "ACCPAY" => 1, "ACCPAYCREDIT" => -1, _ => 0 };
        if (approved && sign < 0)
        {
            foreach (var (code, quantity) in moves)
            {
                var onHand = Num(_records["Items"].First(i => Str(i["Code"]) == code)["QuantityOnHand"]) ?? 0;
                if (onHand < quantity)
                {
                    errors.Add($"The quantity on hand of item '{code}' ({onHand.ToString(CultureInfo.InvariantCulture)}) is not enough for {quantity.ToString(CultureInfo.InvariantCulture)}: tracked inventory cannot go below zero.");
                }
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        if (approved)
        {
            foreach (var (code, quantity) in moves)
            {
                var item = _records["Items"].First(i => Str(i["Code"]) == code);
                item["QuantityOnHand"] = (Num(item["QuantityOnHand"]) ?? 0) + (sign * quantity);
            }
        }

        var count = _records[invoice ? "Invoices" : "CreditNotes"].Count + 1;
        var now = XeroDate(null);
        doc[idField] = Guid.NewGuid().ToString();
        doc[numberField] ??= string.Create(CultureInfo.InvariantCulture, $"{prefix}-{count:0000}");
        doc["Contact"] = new JsonObject { ["ContactID"] = contactId, ["Name"] = Str(contact!["Name"]) };
        doc["Status"] = status;
        doc["LineAmountTypes"] = amountTypes;
        doc["Date"] = XeroDate(Str(doc["Date"]));
        if (Str(doc["DueDate"]) is { } due)
        {
            doc["DueDate"] = XeroDate(due);
        }

        doc["CurrencyCode"] = currency;
        doc["CurrencyRate"] = rate;
        doc["SubTotal"] = subTotal;
        doc["TotalTax"] = taxTotal;
        doc["Total"] = total;
        doc[openField] = total;
        doc["UpdatedDateUTC"] = now;
        if (invoice)
        {
            doc["TotalDiscount"] = discountTotal;
            doc["AmountPaid"] = 0m;
            doc["AmountCredited"] = 0m;
            doc["IsDiscounted"] = discountTotal != 0;
            doc["HasErrors"] = false;
        }

        return [];
    }

    /// <summary>
    /// One line by Xero's rules: the line amount from quantity × unit amount less a discount (or the line amount given,
    /// the missing quantity or unit amount worked out from it); the tax as given (<c>TaxAmount</c> overrides Xero's
    /// calculation) or from the tax rate. Returns the line amount, its tax and its discount.
    /// </summary>
    private (decimal Amount, decimal Tax, decimal Discount) Line(JsonObject line, int n, bool invoice, bool approved, string amountTypes, List<string> errors)
    {
        var code = Str(line["ItemCode"]);
        var item = code is null ? null : _records["Items"].FirstOrDefault(i => Str(i["Code"]) == code);
        if (string.IsNullOrWhiteSpace(Str(line["Description"])) && code is null)
        {
            errors.Add($"Line {n}: Description needs to be specified for line items without an item code.");
        }

        if (code is not null && item is null)
        {
            errors.Add($"Line {n}: Item code '{code}' is not valid");
        }

        var accountCode = Str(line["AccountCode"]) ?? Str(item?["SalesDetails"]?["AccountCode"]);
        var account = accountCode is null ? null : _records["Accounts"].FirstOrDefault(a => Str(a["Code"]) == accountCode);
        if (accountCode is not null && (account is null || Str(account["Status"]) != "ACTIVE"))
        {
            errors.Add($"Line {n}: Account code '{accountCode}' is not a valid code for this document.");
        }
        else if (accountCode is null && approved)
        {
            errors.Add($"Line {n}: An account code must be specified for each line item of an approved document (or an item whose SalesDetails name one).");
        }
        else if (accountCode is not null)
        {
            line["AccountCode"] = accountCode;
        }

        var taxType = Str(line["TaxType"]) ?? Str(account?["TaxType"]) ?? "NONE";
        var taxRate = _records["TaxRates"].FirstOrDefault(r => Str(r["TaxType"]) == taxType && Str(r["Status"]) == "ACTIVE");
        if (taxRate is null)
        {
            errors.Add($"Line {n}: The TaxType code '{taxType}' does not exist or cannot be used for this type of transaction.");
        }

        if (line["Tracking"] is JsonArray tracking)
        {
            if (tracking.Count > 2)
            {
                errors.Add($"Line {n}: A line item can have at most 2 tracking categories.");
            }

            foreach (var option in tracking.OfType<JsonObject>())
            {
                var category = _records["TrackingCategories"].FirstOrDefault(c => string.Equals(Str(c["Name"]), Str(option["Name"]), StringComparison.OrdinalIgnoreCase));
                var chosen = category?["Options"]?.AsArray().OfType<JsonObject>().FirstOrDefault(o => string.Equals(Str(o["Name"]), Str(option["Option"]), StringComparison.OrdinalIgnoreCase));
                if (category is null || chosen is null)
                {
                    errors.Add($"Line {n}: The tracking category '{Str(option["Name"])}' with option '{Str(option["Option"])}' does not exist.");
                    continue;
                }

                option["TrackingCategoryID"] = Str(category["TrackingCategoryID"]);
                option["TrackingOptionID"] = Str(chosen["TrackingOptionID"]);
            }
        }

        var discountRate = Num(line["DiscountRate"]);
        var discountAmount = Num(line["DiscountAmount"]);
        if (!invoice && (discountRate is not null || discountAmount is not null))
        {
            errors.Add($"Line {n}: Discounts are not supported on credit notes.");
        }

        var quantity = Num(line["Quantity"]);
        var unit = Num(line["UnitAmount"]);
        var given = Num(line["LineAmount"]);
        decimal amount;
        if (quantity is not null && unit is not null)
        {
            var gross = decimal.Round(quantity.Value * unit.Value, 2, MidpointRounding.AwayFromZero);
            var off = discountAmount ?? (discountRate is { } r ? decimal.Round(gross * r / 100, 2, MidpointRounding.AwayFromZero) : 0);
            amount = gross - off;
            if (given is { } stated && stated != amount)
            {
                errors.Add($"Line {n}: The line amount {stated.ToString(CultureInfo.InvariantCulture)} does not match quantity × unit amount less discount ({amount.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
        else if (given is { } lineAmount)
        {
            amount = lineAmount;
            quantity ??= 1;
            unit ??= quantity == 0 ? 0 : decimal.Round(lineAmount / quantity.Value, 4, MidpointRounding.AwayFromZero);
        }
        else
        {
            amount = 0;
            quantity ??= 0;
            unit ??= 0;
        }

        var percent = Num(taxRate?["EffectiveRate"]) ?? 0;
        var tax = amountTypes == "NoTax" ? 0
            : Num(line["TaxAmount"]) is { } charged ? decimal.Round(charged, 2, MidpointRounding.AwayFromZero)
            : amountTypes == "Inclusive" ? decimal.Round(amount * percent / (100 + percent), 2, MidpointRounding.AwayFromZero)
            : decimal.Round(amount * percent / 100, 2, MidpointRounding.AwayFromZero);
        line["LineItemID"] = Guid.NewGuid().ToString();
        line["Quantity"] = quantity;
        line["UnitAmount"] = unit;
        line["LineAmount"] = amount;
        line["TaxType"] = taxType;
        line["TaxAmount"] = tax;
        return (amount, tax, (discountAmount ?? 0) + (amount < 0 ? -amount : 0));
    }

    private List<string> NewPayment(JsonObject payment)
    {
        var invoice = _records["Invoices"].FirstOrDefault(i => Str(i["InvoiceID"]) == Str(payment["Invoice"]?["InvoiceID"]));
        var amount = Num(payment["Amount"]) ?? 0;
        var code = Str(payment["Account"]?["Code"]);
        if (invoice is null)
        {
            return ["Invoice could not be found"];
        }

        var account = code is null ? null : _records["Accounts"].FirstOrDefault(a => Str(a["Code"]) == code);
        if (code is null || !(BankAccountCodes.Contains(code) || account?["EnablePaymentsToAccount"]?.GetValue<bool>() == true))
        {
            return ["Account code must be a bank account or an account with payments enabled"];
        }

        if (Str(invoice["Status"]) != "AUTHORISED")
        {
            return ["Payments can only be made against Authorised documents"];
        }

        // Xero: the amount "must be less than or equal to the outstanding amount owing on the invoice".
        if (amount <= 0 || amount > (Num(invoice["AmountDue"]) ?? 0))
        {
            return ["Payment amount exceeds the amount outstanding on this document"];
        }

        var foreign = !string.Equals(Str(invoice["CurrencyCode"]), HomeCurrency, StringComparison.OrdinalIgnoreCase);
        Settle(invoice, amount, "AmountPaid");
        payment["PaymentID"] = Guid.NewGuid().ToString();
        payment["Invoice"] = new JsonObject
        {
            ["InvoiceID"] = Str(invoice["InvoiceID"]),
            ["InvoiceNumber"] = Str(invoice["InvoiceNumber"]),
            ["CurrencyCode"] = Str(invoice["CurrencyCode"]),
        };
        payment["Account"] = new JsonObject { ["AccountID"] = Str(account?["AccountID"]), ["Code"] = code };
        payment["Date"] = XeroDate(Str(payment["Date"]));
        payment["CurrencyRate"] = foreign ? Num(payment["CurrencyRate"]) ?? Num(invoice["CurrencyRate"]) ?? 1 : 1;
        payment["Status"] = "AUTHORISED";
        payment["PaymentType"] = "ACCRECPAYMENT";
        payment["UpdatedDateUTC"] = XeroDate(null);
        return [];
    }

    private static int Repeats(List<JsonObject> documents, string numberField) =>
        documents.GroupBy(d => Str(d[numberField]) ?? string.Empty, StringComparer.Ordinal).Sum(g => g.Count() - 1);

    private static decimal Home(List<JsonObject> documents, string type) => documents
        .Where(d => Str(d["Type"]) == type && Booked.Contains(Str(d["Status"])))
        .Sum(d => decimal.Round((Num(d["SubTotal"]) ?? 0) / (Num(d["CurrencyRate"]) is { } rate and > 0 ? rate : 1), 2, MidpointRounding.AwayFromZero));
}
