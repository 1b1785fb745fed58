namespace Integrations.Sdk.Testing.Shopify;

/// <summary>Everything the simulator keeps, as saved to and loaded from JSON.</summary>
internal sealed class ShopifySimulatorSnapshot
{
    public int Format { get; set; } = 1;

    public ShopifySimulatorOptions Options { get; set; } = new();

    public long NextId { get; set; }

    public int NextOrderNumber { get; set; }

    public List<string> Locations { get; set; } = [];

    public List<SimulatedCustomer> Customers { get; set; } = [];

    public List<SimulatedVariant> Variants { get; set; } = [];

    public List<SimulatedOrder> Orders { get; set; } = [];

    public List<InventoryLevelEntry> Inventory { get; set; } = [];

    public List<IdempotencyEntry> Idempotency { get; set; } = [];

    public List<SimulatedAdjustment> Adjustments { get; set; } = [];

    public int DuplicateAdjustments { get; set; }

    public double AvailablePoints { get; set; }
}

internal sealed record InventoryLevelEntry(string InventoryItemId, string LocationId, int Available);

/// <summary>What a key answered: the input it came with, the data returned, whether it changed stock.</summary>
internal sealed record IdempotencyEntry(string Key, string Parameters, string Data, DateTimeOffset At, bool Applied);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ShopifySimulatorSnapshot))]
internal sealed partial class ShopifySimulatorJsonContext : JsonSerializerContext;
