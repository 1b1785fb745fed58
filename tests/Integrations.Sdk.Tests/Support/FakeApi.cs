using System.Text.Json.Serialization;
using Integrations.Sdk.Transport;
using Refit;

namespace Integrations.Sdk.Tests.Support;

/// <summary>The small fake platform the tests talk to (served by WireMock).</summary>
public interface IFakeApi
{
    [Get("/items")]
    Task<ItemList> ListItemsAsync([Property(IntegrationsRequest.AccountKeyName)] string account = IntegrationsRequest.DefaultAccount, CancellationToken cancellationToken = default);

    [Post("/items")]
    Task<FakeItem> CreateItemAsync([Body] FakeItem item, CancellationToken cancellationToken = default);

    [Post("/items")]
    Task<FakeItem> CreateItemIdempotentAsync([Body] FakeItem item, [Header("Idempotency-Key")] string idempotencyKey, CancellationToken cancellationToken = default);
}

public sealed record FakeItem([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("name")] string Name);

public sealed record ItemList([property: JsonPropertyName("items")] IReadOnlyList<FakeItem> Items);
