namespace Integrations.Sdk.Connectors.Kit;

/// <summary>Small readers of platform JSON and headers, for signal readers and webhook parsers.</summary>
public static class PlatformJson
{
    /// <summary>
    /// JSON with snake_case names (Stripe, Mailchimp, Slack, Square...): web defaults, unknown fields ignored, nulls
    /// left out when writing. Read-only; pass it to <see cref="ConnectorDefinition{TOptions}.Client{TApi}(Action{TOptions, Transport.ConnectorHttpOptions}, JsonSerializerOptions)"/>.
    /// </summary>
    public static JsonSerializerOptions SnakeCase { get; } = ReadOnly(new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>JSON with camelCase names (HubSpot, Shopify...): web defaults, nulls left out when writing. Read-only.</summary>
    public static JsonSerializerOptions CamelCase { get; } = ReadOnly(new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>Returns a property's text (a string, or a number's digits), or <see langword="null"/>.</summary>
    /// <param name="element">An object.</param>
    /// <param name="name">The property's name.</param>
    /// <param name="ignoreCase">Whether a property whose name differs only in case counts (QuickBooks varies it).</param>
    public static string? Text(JsonElement element, string name, bool ignoreCase = false) =>
        TryGet(element, name, out var value, ignoreCase)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Finds a property of an object; <see langword="false"/> for a non-object.</summary>
    /// <param name="element">An element.</param>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The property's value.</param>
    /// <param name="ignoreCase">Whether a property whose name differs only in case counts.</param>
    public static bool TryGet(JsonElement element, string name, out JsonElement value, bool ignoreCase = false)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        if (ignoreCase)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Parses a body that may not be JSON (a proxy's page, a truncated answer).</summary>
    /// <param name="body">The body.</param>
    /// <param name="root">The JSON root, when the body is JSON.</param>
    /// <returns>Whether the body is JSON.</returns>
    public static bool TryParse(string? body, out JsonElement root)
    {
        root = default;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            root = JsonElement.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads a JSON object as <typeparamref name="T"/>; a field of the wrong type becomes a <see cref="FormatException"/>
    /// that says what was read and names the field's path.
    /// </summary>
    /// <typeparam name="T">The model.</typeparam>
    /// <param name="element">A JSON object.</param>
    /// <param name="options">The platform's JSON options.</param>
    /// <param name="what">What is read, for the message (for example <c>Event evt_1: data.object is not an invoice</c>).</param>
    /// <exception cref="FormatException">The element is not an object, or does not fit <typeparamref name="T"/>.</exception>
    public static T ReadAs<T>(JsonElement element, JsonSerializerOptions options, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{what}: not a JSON object.");
        }

        try
        {
            return element.Deserialize<T>(options)!; // an object is never read as null
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{what} ({ex.Path}): {ex.Message}", ex);
        }
    }

    /// <summary>Returns a property's non-empty text, or throws a <see cref="FormatException"/> naming it.</summary>
    /// <param name="element">An object.</param>
    /// <param name="name">The property's name.</param>
    /// <param name="at">Where the object is, for the message (for example <c>[2]</c> or <c>The Stripe event's</c>).</param>
    /// <exception cref="FormatException">The property is missing or empty.</exception>
    public static string Required(JsonElement element, string name, string at) =>
        Text(element, name) is { Length: > 0 } text ? text : throw new FormatException($"{at}.{name} is missing or empty.");

    /// <summary>Reads a response header as a number.</summary>
    /// <param name="response">The response.</param>
    /// <param name="header">The header's name.</param>
    /// <param name="value">The number.</param>
    public static bool TryReadHeader(HttpResponseMessage response, string header, out double value)
    {
        ArgumentNullException.ThrowIfNull(response);
        value = 0;
        return response.Headers.TryGetValues(header, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Returns a response header's first value, or <see langword="null"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="header">The header's name.</param>
    public static string? Header(HttpResponseMessage response, string header)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault() : null;
    }

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
