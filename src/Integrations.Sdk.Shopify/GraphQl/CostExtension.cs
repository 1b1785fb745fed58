namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary><c>extensions.cost</c>: the query's requested and actual points and the bucket's state.</summary>
internal sealed record CostExtension(double? RequestedQueryCost, double? ActualQueryCost, ThrottleStatus? ThrottleStatus);

internal sealed record ThrottleStatus(double MaximumAvailable, double CurrentlyAvailable, double RestoreRate);
