using Integrations.Sdk.Trello.Models;
using Refit;

namespace Integrations.Sdk.Trello.Internal;

/// <summary>The Trello REST endpoints the connector uses (<c>specs/trello</c>: get-lists-id-cards, get-cards-id, post-cards). Key and token are added by the transport.</summary>
[Headers("Accept: application/json")]
internal interface ITrelloApi
{
    [Get("/1/lists/{listId}/cards")]
    Task<List<TrelloCard?>> GetCardsInListAsync(string listId, CancellationToken cancellationToken = default);

    [Get("/1/cards/{cardId}")]
    Task<TrelloCard> GetCardAsync(string cardId, [Query] string fields, CancellationToken cancellationToken = default);

    [Post("/1/cards")]
    Task<TrelloCard> CreateCardAsync(
        [AliasAs("idList")] string listId,
        [AliasAs("name")] string name,
        [AliasAs("desc")] string desc,
        [AliasAs("idMembers")] string? memberIds,
        [AliasAs("due")] string? due,
        CancellationToken cancellationToken = default);
}
