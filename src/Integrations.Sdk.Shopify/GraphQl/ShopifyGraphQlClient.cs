using System.Text.Json.Serialization.Metadata;

namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>Sends the connector's operations (all replay-safe: queries, and a mutation with an <c>@idempotent</c> key) and reads their typed <c>data</c>.</summary>
internal sealed class ShopifyGraphQlClient(Func<IShopifyGraphQl> api, string apiVersion)
{
    public async Task<TData> SendAsync<TVariables, TData>(
        string operationName,
        string document,
        TVariables variables,
        JsonTypeInfo<TVariables> variablesType,
        JsonTypeInfo<TData> dataType,
        CancellationToken cancellationToken)
        where TData : class
    {
        var request = new ShopifyGraphQlRequest(document, JsonSerializer.SerializeToElement(variables, variablesType), operationName);
        var response = await api().ExecuteAsync(apiVersion, request, replaySafe: true, IntegrationsRequest.DefaultAccount, cancellationToken).ConfigureAwait(false);

        // The signal reader turns errors into exceptions inside the transport; this guards direct registrations.
        if (response.Errors is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
        {
            var message = PlatformJson.Text(errors[0], "message") ?? errors[0].GetRawText();
            throw new PlatformException(ShopifyConnector.ConnectorName, HttpStatusCode.OK, "graphql_error", $"{operationName}: {message}");
        }

        try
        {
            return response.Data is { ValueKind: JsonValueKind.Object } data && data.Deserialize(dataType) is { } typed
                ? typed
                : throw InvalidResponse(operationName, "the response has no data");
        }
        catch (JsonException ex)
        {
            throw InvalidResponse(operationName, $"its data does not have the expected shape ({ex.Path}: {ex.Message})", ex);
        }
    }

    /// <summary>A search lookup: the first few candidates for <c>field:"value"</c> (Shopify's search is not exact; callers pick the match).</summary>
    public Task<TData> SearchAsync<TData>(string operationName, string document, string field, string value, JsonTypeInfo<TData> dataType, CancellationToken cancellationToken)
        where TData : class =>
        SendAsync(operationName, document, new SearchVariables(ShopifyOperations.LookupCandidates, ShopifyOperations.SearchTerm(field, value)),
            ShopifyJsonContext.Default.SearchVariables, dataType, cancellationToken);

    /// <summary>A successful response the connector cannot read: the request went through, so its effect is unknown.</summary>
    public static PlatformException InvalidResponse(string operationName, string problem, Exception? inner = null) =>
        PlatformException.InvalidResponse(ShopifyConnector.ConnectorName, $"{operationName}: {problem}", mayHaveBeenApplied: true, inner);
}
