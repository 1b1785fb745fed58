using Integrations.Sdk.Shopify.GraphQl;

namespace Integrations.Sdk.Shopify;

/// <summary>
/// Reads Shopify's GraphQL signals: the cost-based budget in every body (<c>extensions.cost</c>, as requests left =
/// points left / the query's cost), throttling and query errors sent with HTTP 200, and <c>errors</c> on other statuses.
/// </summary>
public sealed class ShopifySignalReader : PlatformSignalReader
{
    private const string ThrottledCode = "THROTTLED";

    /// <summary>Does nothing: Shopify's GraphQL budget is in the body, read by <see cref="InspectSuccessAsync"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="budget">The budget.</param>
    public override void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget) => ArgumentNullException.ThrowIfNull(response);

    /// <summary>Reads <c>errors</c> as Shopify sends it on error statuses: a string, a list of <c>{ message, extensions.code }</c>, or an object of messages.</summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body.</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body) =>
        ReadJsonError(response, body, root => PlatformJson.TryGet(root, "errors", out var errors) ? ReadFirstError(errors) : null);

    /// <summary>
    /// Feeds <c>extensions.cost</c> to the budget; <c>THROTTLED</c> becomes a retryable 429 waiting for the bucket to
    /// restore the query's cost, any other GraphQL error fails (retryable only for <c>INTERNAL_SERVER_ERROR</c>).
    /// </summary>
    /// <param name="response">The successful response.</param>
    /// <param name="budget">The budget of the shop.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    public override async ValueTask<PlatformException?> InspectSuccessAsync(HttpResponseMessage response, RateLimitBudget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(budget);

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false); // so that Refit reads the same body
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return null; // Refit reports the unreadable body, with its unknown effect.
        }

        using (document)
        {
            return Inspect(document.RootElement, response, budget);
        }
    }

    private PlatformException? Inspect(JsonElement root, HttpResponseMessage response, RateLimitBudget budget)
    {
        var cost = ReadCost(root);
        if (cost?.ThrottleStatus is { } status)
        {
            var missing = QueryCost(cost) - status.CurrentlyAvailable;
            budget.Observe(status.CurrentlyAvailable / QueryCost(cost), missing > 0 && status.RestoreRate > 0 ? TimeSpan.FromSeconds(missing / status.RestoreRate) : null);
        }

        if (!PlatformJson.TryGet(root, "errors", out var errors) || ReadFirstError(errors) is not { } first)
        {
            return null;
        }

        if (IsThrottled(errors))
        {
            var wait = cost?.ThrottleStatus is { RestoreRate: > 0 } s
                ? TimeSpan.FromSeconds(Math.Max(1, QueryCost(cost) - s.CurrentlyAvailable) / s.RestoreRate)
                : TimeSpan.FromSeconds(1);
            budget.PauseFor(wait);
            return new PlatformException(ShopifyConnector.ConnectorName, HttpStatusCode.TooManyRequests, ThrottledCode,
                "Throttled: the query cost exceeds the points available in the shop's bucket", ReadRequestId(response),
                isRetryable: true, mayHaveBeenApplied: false, retryAfter: wait);
        }

        // An internal error may have happened after a mutation ran; anything else (syntax, access, cost limit)
        // is refused before execution unless data came back.
        var internalError = first.Code == "INTERNAL_SERVER_ERROR";
        return new PlatformException(ShopifyConnector.ConnectorName, response.StatusCode, first.Code ?? "graphql_error", first.Message,
            ReadRequestId(response), isRetryable: internalError, mayHaveBeenApplied: internalError || HasData(root));
    }

    private static double QueryCost(CostExtension cost) => Math.Max(1, cost.RequestedQueryCost ?? cost.ActualQueryCost ?? 1);

    private static CostExtension? ReadCost(JsonElement root)
    {
        try
        {
            return PlatformJson.TryGet(root, "extensions", out var extensions) && PlatformJson.TryGet(extensions, "cost", out var cost)
                && cost.ValueKind == JsonValueKind.Object
                ? cost.Deserialize(ShopifyJsonContext.Default.CostExtension)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsThrottled(JsonElement errors) =>
        errors.ValueKind == JsonValueKind.Array && errors.EnumerateArray().Any(e =>
            string.Equals(ReadCode(e), ThrottledCode, StringComparison.OrdinalIgnoreCase)
            || string.Equals(PlatformJson.Text(e, "message"), "Throttled", StringComparison.OrdinalIgnoreCase));

    private static bool HasData(JsonElement root) =>
        PlatformJson.TryGet(root, "data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null);

    private static PlatformError? ReadFirstError(JsonElement errors)
    {
        switch (errors.ValueKind)
        {
            case JsonValueKind.String when !string.IsNullOrWhiteSpace(errors.GetString()):
                return new PlatformError(null, errors.GetString()!);
            case JsonValueKind.Array:
                return errors.EnumerateArray().Select(PlatformError? (e) => e.ValueKind == JsonValueKind.String ? new PlatformError(null, e.GetString()!)
                    : PlatformJson.Text(e, "message") is { } message ? new PlatformError(ReadCode(e), message) : null).FirstOrDefault(e => e is not null);
            case JsonValueKind.Object:
                return errors.EnumerateObject().Select(p => new PlatformError(null, $"{p.Name}: " + p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Array => string.Join("; ", p.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
                    _ => p.Value.GetRawText(),
                })).FirstOrDefault();
            default:
                return null;
        }
    }

    private static string? ReadCode(JsonElement error) =>
        PlatformJson.TryGet(error, "extensions", out var extensions) ? PlatformJson.Text(extensions, "code") : null;
}
