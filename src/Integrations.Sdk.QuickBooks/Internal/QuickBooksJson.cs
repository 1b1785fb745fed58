namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>The JSON conventions of the QuickBooks API: names as declared (PascalCase), nothing written for missing values.</summary>
internal static class QuickBooksJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
