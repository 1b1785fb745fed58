using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>A GraphQL request body: <c>{ query, variables, operationName }</c>.</summary>
/// <param name="Query">The GraphQL document.</param>
/// <param name="Variables">The variables, as a JSON object; <see langword="null"/> for none.</param>
/// <param name="OperationName">The operation to run; always sent (simulators and logs key on it).</param>
public sealed record ShopifyGraphQlRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("variables")] JsonElement? Variables,
    [property: JsonPropertyName("operationName")] string OperationName);
