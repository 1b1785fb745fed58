namespace Integrations.Sdk.Shopify;

/// <summary>Maps the REST-shaped order JSON of Shopify's order webhooks to <see cref="ShopifyOrder"/>.</summary>
internal static class ShopifyWebhookOrderReader
{
    private const string Payload = "The Shopify order webhook payload";

    public static ShopifyOrder Read(string payload)
    {
        JsonElement order;
        try
        {
            order = JsonElement.Parse(payload);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{Payload} is not valid JSON: {ex.Message}", ex);
        }

        if (order.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{Payload} is not a JSON object.");
        }

        return new ShopifyOrder
        {
            Id = GlobalId(order, "Order") ?? throw new FormatException($"{Payload} has no 'admin_graphql_api_id' or 'id'."),
            Name = Text(order, "name") ?? (Text(order, "order_number") is { } number ? "#" + number : string.Empty),
            Email = Text(order, "email") ?? Text(order, "contact_email"),
            CreatedAt = Date(order, "created_at") ?? default,
            UpdatedAt = Date(order, "updated_at") ?? throw new FormatException($"{Payload} has no 'updated_at'."),
            DisplayFinancialStatus = Text(order, "financial_status")?.ToUpperInvariant(),
            CurrencyCode = Text(order, "currency"),
            TotalPrice = Amount(order, "total_price") ?? 0m,
            Customer = PlatformJson.TryGet(order, "customer", out var customer) && GlobalId(customer, "Customer") is { } customerId
                ? new ShopifyCustomer { Id = customerId, Email = Text(customer, "email"), FirstName = Text(customer, "first_name"), LastName = Text(customer, "last_name") }
                : null,
            LineItems = PlatformJson.TryGet(order, "line_items", out var lines) && lines.ValueKind == JsonValueKind.Array
                ? [.. lines.EnumerateArray().Select(ReadLineItem)]
                : [],

            // The order-level fields of the store model; shipping lines, refunds and line taxes are read with the order by id.
            PresentmentCurrencyCode = Text(order, "presentment_currency") ?? Text(order, "currency"),
            PresentmentTotalPrice = PresentmentAmount(order, "total_price_set") ?? Amount(order, "total_price") ?? 0m,
            TotalTax = PresentmentAmount(order, "total_tax_set") ?? Amount(order, "total_tax") ?? 0m,
            TaxesIncluded = PlatformJson.TryGet(order, "taxes_included", out var included) && included.ValueKind == JsonValueKind.True,
            Tags = Text(order, "tags") is { } tags ? [.. tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : [],
            SourceName = Text(order, "source_name"),
            DiscountCodes = PlatformJson.TryGet(order, "discount_codes", out var codes) && codes.ValueKind == JsonValueKind.Array
                ? [.. codes.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c => Text(c, "code")).OfType<string>()]
                : [],
        };
    }

    private static ShopifyLineItem ReadLineItem(JsonElement line, int index)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{Payload}'s line_items[{index}] is not an object.");
        }

        return new ShopifyLineItem
        {
            Sku = Text(line, "sku"),
            Title = Text(line, "title"),
            Quantity = PlatformJson.TryGet(line, "quantity", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetInt32(out var n)
                ? n
                : throw new FormatException($"{Payload}'s line_items[{index}].quantity is missing or not a whole number."),
            UnitPrice = Amount(line, "price", $"line_items[{index}].") ?? 0m,
            VariantId = Text(line, "variant_id") is { } variantId ? "gid://shopify/ProductVariant/" + variantId : null,
        };
    }

    /// <summary><c>{name}.presentment_money.amount</c> of a REST money set.</summary>
    private static decimal? PresentmentAmount(JsonElement element, string name) =>
        PlatformJson.TryGet(element, name, out var set) && set.ValueKind == JsonValueKind.Object
        && PlatformJson.TryGet(set, "presentment_money", out var money) && money.ValueKind == JsonValueKind.Object
            ? Amount(money, "amount", name + ".presentment_money.")
            : null;

    private static string? GlobalId(JsonElement element, string type) =>
        Text(element, "admin_graphql_api_id") ?? (Text(element, "id") is { } id ? $"gid://shopify/{type}/{id}" : null);

    /// <summary>A string or number property as non-empty text (ids are numbers in the REST shape).</summary>
    private static string? Text(JsonElement element, string name) => PlatformJson.Text(element, name) is { Length: > 0 } text ? text : null;

    private static decimal? Amount(JsonElement element, string name, string prefix = "") => Parsed<decimal>(element, name, prefix, "an amount",
        static text => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null);

    private static DateTimeOffset? Date(JsonElement element, string name) => Parsed<DateTimeOffset>(element, name, string.Empty, "a timestamp",
        static text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null);

    private static T? Parsed<T>(JsonElement element, string name, string prefix, string what, Func<string, T?> parse)
        where T : struct =>
        Text(element, name) is not { } text ? null : parse(text) ?? throw new FormatException($"{Payload}'s {prefix}{name} '{text}' is not {what}.");
}
