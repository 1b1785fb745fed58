namespace Integrations.Sdk.WooCommerce.Internal;

/// <summary>
/// Reads a WooCommerce amount that may come as a number, a decimal string, or an empty string (a shipping line's tax
/// <c>subtotal</c> is <c>""</c>): empty reads as zero. Writes a number.
/// </summary>
internal sealed class LenientMoneyConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetDecimal();
            case JsonTokenType.Null:
                return 0m;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return 0m;
                }

                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new JsonException($"'{text}' is not an amount.");
            default:
                throw new JsonException($"An amount is a number or a decimal string, not {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
