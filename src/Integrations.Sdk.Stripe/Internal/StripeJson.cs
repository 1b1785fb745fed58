using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Integrations.Sdk.Stripe.Internal;

/// <summary>Stripe's JSON: snake_case names, unknown fields ignored, nulls left out when writing.</summary>
internal static class StripeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}

/// <summary>Stripe's list envelope: <c>{ "object": "list", "data": [...], "has_more": true, "url": "/v1/..." }</c>.</summary>
/// <typeparam name="T">The listed resource.</typeparam>
internal sealed class StripeList<T>
{
    public string? Object { get; set; }

    public List<T>? Data { get; set; }

    public bool HasMore { get; set; }

    public string? Url { get; set; }
}
