namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>A sparse item update (<c>sparse</c> true): only the fields sent change, if <c>SyncToken</c> is still current.</summary>
internal sealed record ItemSparseUpdate(string Id, string SyncToken, [property: JsonPropertyName("sparse")] bool Sparse, decimal? QtyOnHand);
