using System.Globalization;
using System.Text.Json;

namespace Integrations.Sdk.Shopify;

/// <summary>Maps the REST-shaped order JSON of Shopify's order webhooks to <see cref="ShopifyOrder"/>.</summary>
internal static class ShopifyWebhookOrderReader
{
    public static ShopifyOrder Read(string payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The Shopify order webhook payload is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var order = document.RootElement;
            if (order.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The Shopify order webhook payload is not a JSON object.");
            }

            var id = GlobalId(order, "Order") ?? throw new FormatException("The Shopify order webhook payload has no 'admin_graphql_api_id' or 'id'.");
            return new ShopifyOrder
            {
                Id = id,
                Name = String(order, "name") ?? (Raw(order, "order_number") is { } number ? "#" + number : string.Empty),
                Email = String(order, "email") ?? String(order, "contact_email"),
                CreatedAt = Date(order, "created_at", required: false) ?? default,
                UpdatedAt = Date(order, "updated_at", required: true)!.Value,
                DisplayFinancialStatus = String(order, "financial_status")?.ToUpperInvariant(),
                CurrencyCode = String(order, "currency"),
                TotalPrice = Amount(order, "total_price") ?? 0m,
                Customer = order.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object ? ReadCustomer(customer) : null,
                LineItems = order.TryGetProperty("line_items", out var lines) && lines.ValueKind == JsonValueKind.Array
                    ? [.. lines.EnumerateArray().Select((line, i) => ReadLineItem(line, i))]
                    : [],
            };
        }
    }

    private static ShopifyCustomer? ReadCustomer(JsonElement customer)
    {
        var id = GlobalId(customer, "Customer");
        return id is null ? null : new ShopifyCustomer
        {
            Id = id,
            Email = String(customer, "email"),
            FirstName = String(customer, "first_name"),
            LastName = String(customer, "last_name"),
        };
    }

    private static ShopifyLineItem ReadLineItem(JsonElement line, int index)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The Shopify order webhook payload's line_items[{index}] is not an object.");
        }

        var quantity = line.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetInt32(out var n)
            ? n
            : throw new FormatException($"The Shopify order webhook payload's line_items[{index}].quantity is missing or not a whole number.");
        var variantId = Raw(line, "variant_id");
        return new ShopifyLineItem
        {
            Sku = String(line, "sku") is { Length: > 0 } sku ? sku : null,
            Title = String(line, "title"),
            Quantity = quantity,
            UnitPrice = Amount(line, "price", $"line_items[{index}].") ?? 0m,
            VariantId = variantId is null ? null : "gid://shopify/ProductVariant/" + variantId,
        };
    }

    private static string? GlobalId(JsonElement element, string type) =>
        String(element, "admin_graphql_api_id") ?? (Raw(element, "id") is { } id ? $"gid://shopify/{type}/{id}" : null);

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number or string property as text (ids are numbers in the REST shape).</summary>
    private static string? Raw(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.String when !string.IsNullOrEmpty(value.GetString()) => value.GetString(),
                _ => null,
            }
            : null;

    private static decimal? Amount(JsonElement element, string name, string prefix = "")
    {
        var text = Raw(element, name);
        if (text is null)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new FormatException($"The Shopify order webhook payload's {prefix}{name} '{text}' is not an amount.");
    }

    private static DateTimeOffset? Date(JsonElement element, string name, bool required)
    {
        var text = String(element, name);
        if (text is null)
        {
            return required ? throw new FormatException($"The Shopify order webhook payload has no '{name}'.") : null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new FormatException($"The Shopify order webhook payload's {name} '{text}' is not a timestamp.");
    }
}
