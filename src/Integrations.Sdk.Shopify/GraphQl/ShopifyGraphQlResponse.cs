using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>A GraphQL response body: <c>{ data, errors, extensions }</c>.</summary>
public sealed record ShopifyGraphQlResponse
{
    /// <summary>The operation's result.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary>Top-level errors, if any (the transport already turned them into exceptions).</summary>
    [JsonPropertyName("errors")]
    public JsonElement? Errors { get; init; }

    /// <summary>Extensions, among them <c>cost</c> (requested and actual cost, throttle status).</summary>
    [JsonPropertyName("extensions")]
    public JsonElement? Extensions { get; init; }
}
