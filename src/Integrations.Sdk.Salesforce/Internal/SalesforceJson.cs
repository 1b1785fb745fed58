namespace Integrations.Sdk.Salesforce.Internal;

/// <summary>Salesforce's JSON: PascalCase field names as sent, nulls left out when writing, datetimes like <c>2026-12-05T10:00:00.000+0000</c>.</summary>
internal static class SalesforceJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>A SOQL datetime literal (UTC, milliseconds): <c>2026-12-05T10:00:00.000Z</c>.</summary>
    public static string Literal(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses Salesforce's datetimes (<c>+0000</c> offsets) and dates (<c>2026-12-05</c>, read as UTC midnight).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        // "+0000" (no colon) is Salesforce's offset; .NET wants "+00:00".
        if (s.Length > 5 && (s[^5] == '+' || s[^5] == '-') && s[^4..].All(char.IsAsciiDigit) && s.Contains('T', StringComparison.Ordinal))
        {
            s = s[..^2] + ":" + s[^2..];
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new DateTimeOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"'{(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString())}' is not a Salesforce datetime.");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(Literal(value));
    }
}
