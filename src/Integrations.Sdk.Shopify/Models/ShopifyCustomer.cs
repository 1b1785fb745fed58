namespace Integrations.Sdk.Shopify;

/// <summary>A customer.</summary>
public sealed record ShopifyCustomer
{
    /// <summary>The customer's global id, for example <c>gid://shopify/Customer/7012345678901</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The customer's default email address (<c>defaultEmailAddress.emailAddress</c>), if any.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>The first name, if any.</summary>
    [JsonPropertyName("firstName")]
    public string? FirstName { get; init; }

    /// <summary>The last name, if any.</summary>
    [JsonPropertyName("lastName")]
    public string? LastName { get; init; }

    /// <summary>
    /// The extra selections a lookup asked for (its <c>extraFields</c>), by field name, as Shopify answered them; empty
    /// when none were asked. For example <c>Extra["note"].GetString()</c>.
    /// </summary>
    [JsonPropertyName("extra")]
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = ShopifyExtra.None;
}
