using System.Net;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.Shopify.Internal;

/// <summary>
/// <c>inventoryAdjustQuantities</c> on the <c>available</c> quantity, with <c>@idempotent(key: ...)</c> carrying the
/// step's idempotency key: a retry with the same key is answered with the first result and applied once.
/// </summary>
internal sealed class InventoryAdjustOperation(ShopifyGraphQlClient client) : ISinkOperation<InventoryAdjustment, InventoryAdjustmentResult>
{
    private const string Mutation = "inventoryAdjustQuantities";

    public WriteSafety Safety => WriteSafety.IdempotencyKey;

    public async Task<InventoryAdjustmentResult> ExecuteAsync(InventoryAdjustment input, WriteContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(input.InventoryItemId, nameof(input));
        ArgumentException.ThrowIfNullOrWhiteSpace(input.LocationId, nameof(input));
        ArgumentException.ThrowIfNullOrWhiteSpace(input.Reason, nameof(input));
        ArgumentException.ThrowIfNullOrWhiteSpace(context.IdempotencyKey, nameof(context));

        var variables = new AdjustVariables(
            new AdjustInput(input.Reason, "available", input.ReferenceDocumentUri, [new AdjustChange(input.Delta, input.InventoryItemId, input.LocationId, input.ChangeFromQuantity)]),
            context.IdempotencyKey);

        // Replay-safe: Shopify answers a repeated key with the first result instead of applying it again.
        var data = await client.SendAsync(
            ShopifyOperations.AdjustInventory,
            ShopifyOperations.AdjustInventoryDocument,
            variables,
            ShopifyJsonContext.Default.AdjustVariables,
            ShopifyJsonContext.Default.AdjustData,
            replaySafe: true,
            cancellationToken).ConfigureAwait(false);

        var payload = data.InventoryAdjustQuantities
            ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.AdjustInventory, $"data.{Mutation} is missing");
        if (payload.UserErrors is { Count: > 0 } errors)
        {
            throw Refused(errors);
        }

        var change = payload.InventoryAdjustmentGroup?.Changes?.FirstOrDefault(c =>
            string.Equals(c.Item?.Id, input.InventoryItemId, StringComparison.Ordinal) && string.Equals(c.Location?.Id, input.LocationId, StringComparison.Ordinal));
        return new InventoryAdjustmentResult
        {
            AdjustmentGroupId = payload.InventoryAdjustmentGroup?.Id,
            InventoryItemId = input.InventoryItemId,
            LocationId = input.LocationId,
            Delta = change?.Delta ?? input.Delta,
            QuantityAfterChange = change?.QuantityAfterChange,
        };
    }

    /// <summary>
    /// Shopify refused the change (nothing was applied): not retryable, except the codes Shopify marks "try again"
    /// (a concurrent request with the same key, a failed adjustment).
    /// </summary>
    private static PlatformException Refused(List<UserError> errors)
    {
        var first = errors[0];
        var field = first.Field is { Count: > 0 } path ? string.Join('.', path) : null;
        var message = $"{Mutation} refused the change: " + string.Join("; ", errors.Select(e =>
            (e.Field is { Count: > 0 } f ? string.Join('.', f) + ": " : string.Empty) + (e.Message ?? e.Code ?? "no message")));
        var retryable = first.Code is "IDEMPOTENCY_CONCURRENT_REQUEST" or "ADJUST_QUANTITIES_FAILED";
        return new PlatformException(
            ShopifyDefaults.ConnectorName,
            HttpStatusCode.OK,
            first.Code ?? (field is null ? "user_error" : "invalid_" + field),
            message,
            isRetryable: retryable,
            mayHaveBeenApplied: false);
    }
}
