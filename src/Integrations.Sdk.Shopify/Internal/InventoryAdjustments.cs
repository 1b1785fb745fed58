using Integrations.Sdk.Shopify.GraphQl;

namespace Integrations.Sdk.Shopify.Internal;

/// <summary><c>inventoryAdjustQuantities</c> on the <c>available</c> quantity, with <c>@idempotent(key: ...)</c> carrying the step's key.</summary>
internal static class InventoryAdjustments
{
    private const string Mutation = "inventoryAdjustQuantities";

    public static void Validate(InventoryAdjustment input)
    {
        Require.Text(input.InventoryItemId, "A Shopify inventory adjustment needs an inventory item", nameof(input.InventoryItemId));
        Require.Text(input.LocationId, "A Shopify inventory adjustment needs a location", nameof(input.LocationId));
        Require.Text(input.Reason, "A Shopify inventory adjustment needs a reason", nameof(input.Reason));
    }

    /// <summary>Replay-safe: Shopify answers a repeated key with the first result instead of applying it again.</summary>
    public static async Task<InventoryAdjustmentResult> SendAsync(ShopifyGraphQlClient client, InventoryAdjustment input, string key, CancellationToken cancellationToken)
    {
        var change = new AdjustChange(input.Delta, input.InventoryItemId, input.LocationId, input.ChangeFromQuantity);
        var variables = new AdjustVariables(new AdjustInput(input.Reason, "available", input.ReferenceDocumentUri, [change]), key);
        var data = await client.SendAsync(ShopifyOperations.AdjustInventory, ShopifyOperations.AdjustInventoryDocument, variables,
            ShopifyJsonContext.Default.AdjustVariables, ShopifyJsonContext.Default.AdjustData, cancellationToken).ConfigureAwait(false);

        var payload = data.InventoryAdjustQuantities
            ?? throw ShopifyGraphQlClient.InvalidResponse(ShopifyOperations.AdjustInventory, $"data.{Mutation} is missing");
        if (payload.UserErrors is { Count: > 0 } errors)
        {
            throw Refused(errors);
        }

        var applied = payload.InventoryAdjustmentGroup?.Changes?.FirstOrDefault(c => c.Item?.Id == input.InventoryItemId && c.Location?.Id == input.LocationId);
        return new InventoryAdjustmentResult
        {
            AdjustmentGroupId = payload.InventoryAdjustmentGroup?.Id,
            InventoryItemId = input.InventoryItemId,
            LocationId = input.LocationId,
            Delta = applied?.Delta ?? input.Delta,
            QuantityAfterChange = applied?.QuantityAfterChange,
        };
    }

    /// <summary>Shopify refused the change, so nothing was applied: retryable only for the codes Shopify says to try again.</summary>
    private static PlatformException Refused(List<UserError> errors)
    {
        static string? Path(UserError e) => e.Field is { Count: > 0 } f ? string.Join('.', f) : null;
        var first = errors[0];
        var message = $"{Mutation} refused the change: " + string.Join("; ", errors.Select(e =>
            (Path(e) is { } p ? p + ": " : string.Empty) + (e.Message ?? e.Code ?? "no message")));
        return new PlatformException(ShopifyConnector.ConnectorName, HttpStatusCode.OK, first.Code ?? (Path(first) is { } field ? "invalid_" + field : "user_error"),
            message, isRetryable: first.Code is "IDEMPOTENCY_CONCURRENT_REQUEST" or "ADJUST_QUANTITIES_FAILED", mayHaveBeenApplied: false);
    }
}
