namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>The GraphQL documents the connector sends. Each names its operation; simulators dispatch on the name.</summary>
internal static class ShopifyOperations
{
    public const string Orders = "OrdersUpdatedSince";
    public const string OrderById = "OrderById";
    public const string OrderLineItems = "OrderLineItems";
    public const string OrderRefunds = "OrderRefunds";
    public const string CustomerByEmail = "CustomerByEmail";
    public const string VariantBySku = "VariantBySku";
    public const string AdjustInventory = "AdjustInventory";

    /// <summary>Line items per follow-up query for orders with more lines than the orders page carries (cost 1 + 3 + 40 × 24 = 964).</summary>
    public const int LineItemsFollowUpPageSize = 40;

    /// <summary>Candidates fetched by a search lookup; the exact match is picked locally (Shopify's search is not exact).</summary>
    public const int LookupCandidates = 5;

    /// <summary>Tax lines read per line item (<c>taxLines(first:)</c>): state, county, city and a special district.</summary>
    public const int TaxLinesPerLine = 4;

    /// <summary>Shipping lines read per order.</summary>
    public const int ShippingLinesPerOrder = 2;

    /// <summary>Refunds read per order by <see cref="OrderRefundsDocument"/> (one more is asked, to tell when there are more).</summary>
    public const int RefundsPerOrder = 5;

    /// <summary>Refunded line items read per refund.</summary>
    public const int RefundLineItemsPerRefund = 20;

    /// <summary>The requested cost of one line item in <see cref="LineItemFields"/>, counted as Shopify documents (objects 1, lists sized by <c>first</c> like connections): itself 1, its price set 3, variant and inventory item 2, product 1, tax lines 2 + 4 × 3, discount allocations 3.</summary>
    public const int LineItemCost = 1 + 3 + 2 + 1 + (2 + (TaxLinesPerLine * 3)) + 3;

    /// <summary>The requested cost of an order in <see cref="OrderFields"/> without its line items: itself 1, total price set 3, total tax set 2, customer 2, shipping lines 2 + 2 × 9, the refunds probe 3, the line items connection and its pageInfo 3.</summary>
    public const int OrderCostWithoutLines = 1 + 3 + 2 + 2 + (2 + (ShippingLinesPerOrder * 9)) + 3 + 3;

    private const string LineItemFields = """
        fragment LineItemFields on LineItem {
          id sku title quantity
          originalUnitPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }
          variant { id inventoryItem { id } }
          product { productType }
          taxLines(first: 4) { title rate priceSet { presentmentMoney { amount } } }
          discountAllocations { allocatedAmountSet { presentmentMoney { amount } } }
        }
        """;

    private const string OrderFields = """
        fragment OrderFields on Order {
          id name email createdAt updatedAt displayFinancialStatus currencyCode presentmentCurrencyCode taxesIncluded tags sourceName discountCodes
          totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }
          totalTaxSet { presentmentMoney { amount } }
          customer { id firstName lastName defaultEmailAddress { emailAddress } }
          shippingLines(first: 2) {
            nodes {
              title originalPriceSet { presentmentMoney { amount } }
              discountAllocations { allocatedAmountSet { presentmentMoney { amount } } }
              taxLines { title rate priceSet { presentmentMoney { amount } } }
            }
          }
          refunds(first: 1) { id }
          lineItems(first: $lineItemsFirst) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } }
        }
        """;

    public const string OrdersDocument = """
        query OrdersUpdatedSince($first: Int!, $after: String, $query: String, $lineItemsFirst: Int!) {
          orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
            pageInfo { hasNextPage endCursor }
            nodes { ...OrderFields }
          }
        }
        """ + "\n" + OrderFields + "\n" + LineItemFields;

    public const string OrderByIdDocument = """
        query OrderById($id: ID!, $lineItemsFirst: Int!) {
          order(id: $id) { ...OrderFields }
        }
        """ + "\n" + OrderFields + "\n" + LineItemFields;

    public const string OrderLineItemsDocument = """
        query OrderLineItems($id: ID!, $first: Int!, $after: String) {
          order(id: $id) { lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } } }
        }
        """ + "\n" + LineItemFields;

    /// <summary>An order's refunds, oldest first (cost 1 + 2 + 6 × (1 + 2 + (3 + 20 × 6) + (2 + 2 × 5)) = 831).</summary>
    public const string OrderRefundsDocument = """
        query OrderRefunds($id: ID!) {
          order(id: $id) {
            refunds(first: 6) {
              id createdAt note
              totalRefundedSet { presentmentMoney { amount } }
              refundLineItems(first: 20) {
                pageInfo { hasNextPage endCursor }
                nodes { lineItem { id sku } quantity restockType subtotalSet { presentmentMoney { amount } } totalTaxSet { presentmentMoney { amount } } }
              }
              refundShippingLines(first: 2) { nodes { subtotalAmountSet { presentmentMoney { amount } } taxAmountSet { presentmentMoney { amount } } } }
            }
          }
        }
        """;

    public const string CustomerByEmailDocument = """
        query CustomerByEmail($first: Int!, $query: String!) {
          customers(first: $first, query: $query) { nodes { id firstName lastName defaultEmailAddress { emailAddress } } }
        }
        """;

    public const string VariantBySkuDocument = """
        query VariantBySku($first: Int!, $query: String!) {
          productVariants(first: $first, query: $query) { nodes { id sku title price inventoryItem { id } } }
        }
        """;

    /// <summary>
    /// A lookup's document with <paramref name="extraFields"/> selected on each node besides the typed fields; the
    /// names are checked by <see cref="ExtraSelections"/>.
    /// </summary>
    public static string WithExtraSelections(string document, IReadOnlyList<string> extraFields)
    {
        const string Anchor = "nodes { id ";
        if (extraFields.Count == 0)
        {
            return document;
        }

        // A document reshaped without this anchor would silently ask for nothing extra: fail loudly instead.
        return document.Contains(Anchor, StringComparison.Ordinal)
            ? document.Replace(Anchor, Anchor + string.Join(' ', extraFields) + " ", StringComparison.Ordinal)
            : throw new InvalidOperationException("The lookup's GraphQL document has no 'nodes { id ' selection to add the extra fields to.");
    }

    /// <summary>
    /// The caller's extra selections, trimmed and each once: plain GraphQL field names (<c>[_A-Za-z][_0-9A-Za-z]*</c>)
    /// of scalar fields; anything else (a sub-selection, an argument, an alias) is refused before it is sent.
    /// </summary>
    public static IReadOnlyList<string> ExtraSelections(IEnumerable<string>? extraFields, string parameter) =>
        ExtraFields.Append(
            [],
            extraFields,
            static name => (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'),
            "Shopify extra fields are plain GraphQL field names of scalar fields, such as 'note' or 'numberOfOrders'",
            parameter);

    public const string AdjustInventoryDocument = """
        mutation AdjustInventory($input: InventoryAdjustQuantitiesInput!, $key: String!) {
          inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
            inventoryAdjustmentGroup { id createdAt reason changes { name delta quantityAfterChange item { id } location { id } } }
            userErrors { field message code }
          }
        }
        """;

    /// <summary>Formats a search term <c>field:"value"</c>, escaping quotes and backslashes (Shopify search syntax).</summary>
    public static string SearchTerm(string field, string value) =>
        field + ":\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The orders filter from a watermark: <c>updated_at:&gt;='2026-11-28T01:55:00Z'</c> (whole seconds, rounded down).</summary>
    public static string UpdatedSince(DateTimeOffset watermark) =>
        "updated_at:>='" + WholeSeconds(watermark).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "'";

    /// <summary>The instant in UTC, rounded down to the second (Shopify's search precision).</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
