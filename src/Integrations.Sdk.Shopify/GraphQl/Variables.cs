namespace Integrations.Sdk.Shopify.GraphQl;

internal sealed record OrdersVariables(int First, string? After, string? Query, int LineItemsFirst);

internal sealed record OrderByIdVariables(string Id, int LineItemsFirst);

internal sealed record OrderRefundsVariables(string Id);

internal sealed record OrderLineItemsVariables(string Id, int First, string? After);

internal sealed record SearchVariables(int First, string Query);

internal sealed record AdjustVariables(AdjustInput Input, string Key);

internal sealed record AdjustInput(string Reason, string Name, string? ReferenceDocumentUri, IReadOnlyList<AdjustChange> Changes);

/// <summary>One change; <c>changeFromQuantity</c> is always written, null included (mandatory since 2026-04).</summary>
internal sealed record AdjustChange(int Delta, string InventoryItemId, string LocationId, int? ChangeFromQuantity);
