namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>The platform's work: queries, creates and updates, with QuickBooks' validation faults. Called under the state lock.</summary>
public sealed partial class QuickBooksSimulator
{
    private const string SalesItemLine = "SalesItemLineDetail";
    private const string SubTotalLine = "SubTotalLineDetail";

    private QboAnswer Query(QboQuery query, DateTimeOffset now)
    {
        if (!_entities.TryGetValue(query.Entity, out var all))
        {
            return QboFaults.Validation(now, "4001", "Invalid query",
                $"QueryValidationError: the simulator serves Customer, Item, Invoice and SalesReceipt, not '{query.Entity}' (entity names are case-sensitive)");
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
        customer["CurrencyRef"] ??= HomeCurrency();
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

    private QboAnswer CreateSale(string kind, JsonObject body, DateTimeOffset now)
    {
        var isInvoice = kind == "Invoice";
        var customerId = Str(body["CustomerRef"]?["value"]);
        JsonObject? customer = null;
        if (customerId is null && isInvoice)
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

        var written = new JsonArray();
        var stock = new List<(JsonObject Item, decimal Qty)>();
        var total = 0m;
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

            if (type != SalesItemLine)
            {
                return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property",
                    $"the simulator supports SalesItemLineDetail lines only, not '{type}'", "Line.DetailType");
            }

            if (line[SalesItemLine] is not JsonObject detail)
            {
                return RequiredMissing(now, "Line.SalesItemLineDetail");
            }

            var itemId = Str(detail["ItemRef"]?["value"]);
            if (FindById("Item", itemId) is not { } item)
            {
                return QboFaults.Validation(now, "2500", "Invalid Reference Id", $"Invalid Reference Id : Item {itemId ?? "(none)"} does not exist",
                    "Line.SalesItemLineDetail.ItemRef");
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

            qty ??= price is { } unit && unit != 0 ? amount / unit : 1;
            price ??= qty != 0 ? amount / qty : Dec(item["UnitPrice"]) ?? 0;
            number++;
            var writtenDetail = new JsonObject
            {
                ["ItemRef"] = new JsonObject { ["value"] = Str(item["Id"]), ["name"] = Str(item["Name"]) },
                ["UnitPrice"] = price,
                ["Qty"] = qty,
                ["TaxCodeRef"] = detail["TaxCodeRef"]?.DeepClone() ?? new JsonObject { ["value"] = "NON" },
            };
            if ((detail["ItemAccountRef"] ?? item["IncomeAccountRef"])?.DeepClone() is { } account)
            {
                writtenDetail["ItemAccountRef"] = account;
            }
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

            written.Add(writtenLine);
            total += amount;
            if (Bool(item["TrackQtyOnHand"]))
            {
                stock.Add((item, qty.Value));
            }
        }

        if (number == 0)
        {
            return QboFaults.Validation(now, "2020", "Required param missing, need to supply the required value for the API",
                "Required parameter Line is missing in the request: no SalesItemLineDetail line", "Line");
        }

        written.Add(new JsonObject { ["Amount"] = total, ["DetailType"] = SubTotalLine, [SubTotalLine] = new JsonObject() });

        var sale = (JsonObject)body.DeepClone();
        var id = Stamp(sale, kind, now);
        var txnDate = Str(body["TxnDate"]) ?? Date(now);
        sale["DocNumber"] = Str(body["DocNumber"]) ?? (1000 + id).ToString(CultureInfo.InvariantCulture);
        sale["TxnDate"] = txnDate;
        sale["CurrencyRef"] ??= HomeCurrency();
        sale["Line"] = written;
        sale["TxnTaxDetail"] ??= new JsonObject { ["TotalTax"] = 0m };
        sale["LinkedTxn"] ??= new JsonArray();
        sale["ApplyTaxAfterDiscount"] ??= false;
        sale["PrintStatus"] ??= "NotSet";
        sale["EmailStatus"] ??= "NotSet";
        sale["TotalAmt"] = total;
        sale["Balance"] = isInvoice ? total : 0m;
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
            if (customer is not null)
            {
                customer["Balance"] = (Dec(customer["Balance"]) ?? 0) + total;
            }
        }
        else
        {
            sale["DepositToAccountRef"] ??= Account("4", "Undeposited Funds");
        }

        foreach (var (item, qty) in stock)
        {
            item["QtyOnHand"] = (Dec(item["QtyOnHand"]) ?? 0) - qty;
            Touch(item, now);
        }

        _entities[kind].Add(sale);
        return Envelope(kind, sale, now);
    }

    /// <summary>A single-object read: the entity, or 610 Object Not Found.</summary>
    private QboAnswer Read(string kind, string id, DateTimeOffset now) =>
        FindById(kind, id) is { } entity
            ? Envelope(kind, entity, now)
            : QboFaults.Validation(now, "610", "Object Not Found", $"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts. ({kind} {id} does not exist)", "Id");

    /// <summary>The company's home currency, as QuickBooks writes it on customers and transactions (a US company here).</summary>
    private static JsonObject HomeCurrency() => new() { ["value"] = "USD", ["name"] = "United States Dollar" };

    /// <summary>A reference to one of the accounts of a new QuickBooks company (ids and names as in Intuit's API reference examples).</summary>
    private static JsonObject Account(string id, string name) => new() { ["value"] = id, ["name"] = name };

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

    private JsonObject? FindById(string kind, string? id) =>
        id is null ? null : _entities[kind].FirstOrDefault(e => Str(e["Id"]) == id);

    private JsonObject? FindByName(string kind, string field, string name) =>
        _entities[kind].FirstOrDefault(e => string.Equals(Str(e[field])?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
}
