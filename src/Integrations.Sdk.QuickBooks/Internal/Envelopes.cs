using System.Text.Json;
using System.Text.Json.Serialization;
using Integrations.Sdk.QuickBooks.Models;
using Refit;

namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>A query answer: <c>{ "QueryResponse": { "Customer": [...], "startPosition": 1, "maxResults": 3 }, "time": ... }</c>.</summary>
internal sealed class QueryEnvelope
{
    /// <summary>The entity array (named after the entity) and the paging fields; empty when nothing matched.</summary>
    [JsonPropertyName("QueryResponse")]
    public Dictionary<string, JsonElement>? QueryResponse { get; init; }

    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; init; }
}

/// <summary>A write answer: the entity under its own name, for example <c>{ "Invoice": {...}, "time": ... }</c>.</summary>
internal sealed class EntityEnvelope
{
    [JsonPropertyName("Customer")]
    public QboCustomer? Customer { get; init; }

    [JsonPropertyName("Item")]
    public QboItem? Item { get; init; }

    [JsonPropertyName("Invoice")]
    public QboInvoice? Invoice { get; init; }

    [JsonPropertyName("SalesReceipt")]
    public QboSalesReceipt? SalesReceipt { get; init; }

    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; init; }
}

/// <summary>A sparse item update: <c>{ "Id", "SyncToken", "sparse": true, "QtyOnHand" }</c>.</summary>
internal sealed class ItemSparseUpdate
{
    [JsonPropertyName("Id")]
    public required string Id { get; init; }

    [JsonPropertyName("SyncToken")]
    public required string SyncToken { get; init; }

    [JsonPropertyName("sparse")]
    public bool Sparse { get; init; } = true;

    [JsonPropertyName("QtyOnHand")]
    public decimal? QtyOnHand { get; init; }
}

/// <summary>The JSON conventions of the QuickBooks API: explicit names, nothing written for missing values.</summary>
internal static class QuickBooksJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}
