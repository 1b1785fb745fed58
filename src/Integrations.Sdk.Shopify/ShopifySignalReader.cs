using System.Net;
using System.Text.Json;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.Shopify;

/// <summary>
/// Reads Shopify's GraphQL signals. Shopify reports its cost-based budget in every response body
/// (<c>extensions.cost</c>), throttles with HTTP 200 and <c>errors: [{ message: "Throttled" }]</c>, and reports
/// query errors with HTTP 200 too; error bodies of other statuses carry <c>errors</c> as a string or a list.
/// </summary>
/// <remarks>
/// The budget counts requests while Shopify counts points, so points are scaled by the cost of the query just made:
/// requests left = <c>currentlyAvailable / requestedQueryCost</c>. When not even one more such query fits, the budget
/// pauses for the time the bucket needs to restore the missing points
/// (<c>(requestedQueryCost - currentlyAvailable) / restoreRate</c>).
/// </remarks>
public sealed class ShopifySignalReader : PlatformSignalReader
{
    private const string ThrottledCode = "THROTTLED";

    /// <summary>Returns the <c>X-Request-Id</c> header, which Shopify support asks for.</summary>
    /// <param name="response">The response.</param>
    public override string? ReadRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>Does nothing: Shopify's GraphQL budget is in the body, read by <see cref="InspectSuccessAsync"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="budget">The budget.</param>
    public override void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(budget);
    }

    /// <summary>Reads <c>errors</c> as Shopify sends it on error statuses: a string, a list of <c>{ message, extensions.code }</c>, or an object of messages.</summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body.</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("errors", out var errors)
                    && ReadFirstError(errors) is { } error)
                {
                    return error;
                }
            }
            catch (JsonException)
            {
                // Not JSON: the base reader quotes the body.
            }
        }

        return base.ReadError(response, body);
    }

    /// <summary>
    /// Buffers the body, feeds <c>extensions.cost</c> to the budget, and fails the attempt on GraphQL errors:
    /// <c>THROTTLED</c> becomes a retryable 429-like <see cref="PlatformException"/> whose wait is the time the bucket
    /// needs to restore the query's cost; any other error is not retryable.
    /// </summary>
    /// <param name="response">The successful response.</param>
    /// <param name="budget">The budget of the shop.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    public override async ValueTask<PlatformException?> InspectSuccessAsync(HttpResponseMessage response, RateLimitBudget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(budget);

        // Buffered, so that Refit reads the same body afterwards.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null; // Refit reports the unreadable body, with its unknown effect.
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var cost = ReadCost(root);
            if (cost is not null)
            {
                Observe(cost, budget);
            }

            if (!root.TryGetProperty("errors", out var errors) || ReadFirstError(errors) is not { } first)
            {
                return null;
            }

            var requestId = ReadRequestId(response);
            if (IsThrottled(errors))
            {
                var wait = ThrottleWait(cost);
                budget.PauseFor(wait);
                return new PlatformException(
                    ShopifyDefaults.ConnectorName,
                    HttpStatusCode.TooManyRequests,
                    ThrottledCode,
                    "Throttled: the query cost exceeds the points available in the shop's bucket",
                    requestId,
                    isRetryable: true,
                    mayHaveBeenApplied: false,
                    retryAfter: wait);
            }

            // An internal error may have happened after a mutation ran; anything else (syntax, access, cost limit)
            // is refused before execution unless data came back.
            var internalError = string.Equals(first.Code, "INTERNAL_SERVER_ERROR", StringComparison.Ordinal);
            return new PlatformException(
                ShopifyDefaults.ConnectorName,
                response.StatusCode,
                first.Code ?? "graphql_error",
                first.Message,
                requestId,
                isRetryable: internalError,
                mayHaveBeenApplied: internalError || HasData(root));
        }
    }

    private static void Observe(CostExtension cost, RateLimitBudget budget)
    {
        if (cost.ThrottleStatus is not { } status)
        {
            return;
        }

        var queryCost = Math.Max(1, cost.RequestedQueryCost ?? cost.ActualQueryCost ?? 1);
        var remaining = status.CurrentlyAvailable / queryCost;
        var missing = queryCost - status.CurrentlyAvailable;
        TimeSpan? resetAfter = missing > 0 && status.RestoreRate > 0 ? TimeSpan.FromSeconds(missing / status.RestoreRate) : null;
        budget.Observe(remaining, resetAfter);
    }

    private static TimeSpan ThrottleWait(CostExtension? cost)
    {
        if (cost?.ThrottleStatus is { RestoreRate: > 0 } status)
        {
            var queryCost = Math.Max(1, cost.RequestedQueryCost ?? cost.ActualQueryCost ?? 1);
            var missing = Math.Max(1, queryCost - status.CurrentlyAvailable);
            return TimeSpan.FromSeconds(missing / status.RestoreRate);
        }

        return TimeSpan.FromSeconds(1);
    }

    private static CostExtension? ReadCost(JsonElement root)
    {
        if (!root.TryGetProperty("extensions", out var extensions) || extensions.ValueKind != JsonValueKind.Object
            || !extensions.TryGetProperty("cost", out var cost) || cost.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            return cost.Deserialize(ShopifyJsonContext.Default.CostExtension);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsThrottled(JsonElement errors) =>
        errors.ValueKind == JsonValueKind.Array && errors.EnumerateArray().Any(e =>
            string.Equals(ReadCode(e), ThrottledCode, StringComparison.OrdinalIgnoreCase)
            || (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                && string.Equals(m.GetString(), "Throttled", StringComparison.OrdinalIgnoreCase)));

    private static bool HasData(JsonElement root) =>
        root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null);

    private static PlatformError? ReadFirstError(JsonElement errors)
    {
        switch (errors.ValueKind)
        {
            case JsonValueKind.String when !string.IsNullOrWhiteSpace(errors.GetString()):
                return new PlatformError(null, errors.GetString()!);
            case JsonValueKind.Array:
                foreach (var error in errors.EnumerateArray())
                {
                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return new PlatformError(null, error.GetString()!);
                    }

                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    {
                        return new PlatformError(ReadCode(error), message.GetString()!);
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in errors.EnumerateObject())
                {
                    var text = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Array => string.Join("; ", property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
                        _ => property.Value.GetRawText(),
                    };
                    return new PlatformError(null, $"{property.Name}: {text}");
                }

                return null;
            default:
                return null;
        }
    }

    private static string? ReadCode(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
            && extensions.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : null;
}
