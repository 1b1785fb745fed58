using Integrations.Sdk.Trello.Internal;
using Integrations.Sdk.Trello.Models;

namespace Integrations.Sdk.Trello;

/// <summary>
/// The Trello connector: the cards of a list, and card creation at most once. Trello has no idempotency key, so a
/// card carries a marker line (<c>[integrations-ref:…]</c>) in its description and creation looks for it first
/// (<see cref="WriteSafety.LookupThenCreate"/>). Resolve it after <c>AddTrello(...)</c>; it is thread-safe.
/// </summary>
public sealed class TrelloConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget, telemetry and webhook route.</summary>
    public const string ConnectorName = "trello";

    /// <summary>The card fields <see cref="TrelloCard"/> types, asked for on a card read (Trello sends the id anyway).</summary>
    private static readonly string[] TypedFields = ["name", "desc", "idList", "idBoard", "idMembers", "due", "closed", "url", "dateLastActivity"];

    private readonly Func<ITrelloApi> _api;

    internal TrelloConnector(Func<ITrelloApi> api)
    {
        _api = api;
        CreateCard = SinkOperation.LookupThenCreate<CardDraft, TrelloCard>(FindCardAsync, CreateCardAsync, card =>
        {
            Require.Text(card.ListId, "A Trello card needs a list", nameof(card.ListId));
            Require.Text(card.Name, "A Trello card needs a name", nameof(card.Name));
        });
    }

    /// <summary>
    /// Creates a card at most once: it looks on the list for a card whose description holds the draft's marker line
    /// (<see cref="CardDraft.ExternalId"/>, else the step's idempotency key), and creates one only when none is there.
    /// </summary>
    public ILookupThenCreateOperation<CardDraft, TrelloCard> CreateCard { get; }

    /// <summary>The open cards of a list, as a source (a full read each run: Trello lists are small and unpaged).</summary>
    /// <param name="listId">The list's id.</param>
    public IRecordSource<TrelloCard> CardsInList(string listId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        return RecordSource.Create<TrelloCard>((_, ct) => GetCardsInListAsync(listId, ct).WithCheckpointsAsync(_ => null, ct));
    }

    /// <summary>Streams the open cards of a list (<c>GET /1/lists/{id}/cards</c>).</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async IAsyncEnumerable<TrelloCard> GetCardsInListAsync(string listId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        foreach (var card in await _api().GetCardsInListAsync(listId, cancellationToken).ConfigureAwait(false))
        {
            yield return card ?? throw PlatformException.InvalidResponse(ConnectorName, "a list's cards hold a null card");
        }
    }

    /// <summary>
    /// Reads one card (<c>GET /1/cards/{id}</c>) with the fields the model types and <paramref name="extraFields"/>:
    /// this read names the fields it wants (<c>fields=</c>), and Trello answers only those, so extra ones are asked
    /// for here and come back in <see cref="TrelloCard.Extra"/>.
    /// </summary>
    /// <param name="cardId">The card's id (or short link).</param>
    /// <param name="extraFields">Names of further card fields (for example <c>labels</c>, <c>shortUrl</c>, <c>idChecklists</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The card, or <see langword="null"/> when Trello has none with that id (404).</returns>
    /// <exception cref="ArgumentException">A name in <paramref name="extraFields"/> is not a plain field name (letters and digits).</exception>
    public Task<TrelloCard?> GetCardAsync(string cardId, IEnumerable<string>? extraFields = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cardId);
        var fields = ExtraFields.Append(
            TypedFields,
            extraFields,
            static name => char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit),
            "Trello card fields are plain names such as 'labels' or 'shortUrl'",
            nameof(extraFields));
        var list = string.Join(',', fields);
        return PlatformReads.OrNullWhenMissingAsync(ct => _api().GetCardAsync(cardId.Trim(), list, ct), cancellationToken: cancellationToken);
    }

    /// <summary>The marker line the connector appends to a card's description: <c>[integrations-ref:{marker}]</c>.</summary>
    /// <param name="marker">The draft's external id or the step's idempotency key.</param>
    public static string MarkerLine(string marker) => $"[integrations-ref:{marker}]";

    private async Task<TrelloCard?> FindCardAsync(CardDraft draft, WriteContext context, CancellationToken cancellationToken)
    {
        var line = MarkerLine(Marker(draft, context));
        await foreach (var card in GetCardsInListAsync(draft.ListId, cancellationToken).ConfigureAwait(false))
        {
            if (card.Desc?.Contains(line, StringComparison.Ordinal) == true)
            {
                return card;
            }
        }

        return null;
    }

    private async Task<TrelloCard> CreateCardAsync(CardDraft draft, WriteContext context, CancellationToken cancellationToken)
    {
        var line = MarkerLine(Marker(draft, context));
        var desc = string.IsNullOrEmpty(draft.Description) ? line : draft.Description + "\n\n" + line;
        var members = draft.MemberIds is { Count: > 0 } ids ? string.Join(',', ids) : null;
        var due = draft.Due?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var card = await _api().CreateCardAsync(draft.ListId.Trim(), draft.Name.Trim(), desc, members, due, cancellationToken).ConfigureAwait(false);
        return card is { Id.Length: > 0 }
            ? card
            : throw PlatformException.InvalidResponse(ConnectorName, "the answer to a card creation holds no card id", mayHaveBeenApplied: true);
    }

    private static string Marker(CardDraft draft, WriteContext context)
    {
        if (!string.IsNullOrWhiteSpace(draft.ExternalId))
        {
            return draft.ExternalId.Trim();
        }

        // An empty marker would match every card created the same way.
        ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
        return context.IdempotencyKey;
    }
}
