using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

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

    /// <summary>A new instance each call: the transport sets its exception factories on it.</summary>
    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}
