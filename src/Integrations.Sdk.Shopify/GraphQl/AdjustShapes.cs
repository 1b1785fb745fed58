namespace Integrations.Sdk.Shopify.GraphQl;

internal sealed record AdjustmentChangeNode(string? Name, int Delta, int? QuantityAfterChange, Node? Item, Node? Location);

internal sealed record AdjustmentGroup(string? Id, List<AdjustmentChangeNode>? Changes);

internal sealed record UserError(List<string>? Field, string? Message, string? Code);

internal sealed record AdjustPayload(AdjustmentGroup? InventoryAdjustmentGroup, List<UserError>? UserErrors);

internal sealed record AdjustData(AdjustPayload? InventoryAdjustQuantities);
