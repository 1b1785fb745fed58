namespace Integrations.Sdk.Testing.Trello;

public sealed partial class TrelloSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "Trello simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.TrelloSimulator", ["version"] = 1 });

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: the member id, boards, lists, cards, webhooks
    /// and actions. Credentials, limits and faults are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["memberId"] = MemberId,
        ["boards"] = Array(_boards.Values),
        ["lists"] = Array(_lists.Values),
        ["cards"] = Array(_cards),
        ["webhooks"] = Array(_webhooks),
        ["actions"] = Array(_actions),
    }), cancellationToken);

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved Trello simulator.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        List<SimulatedTrelloBoard> boards;
        List<SimulatedTrelloList> lists;
        List<SimulatedTrelloCard> cards;
        List<SimulatedTrelloWebhook> webhooks;
        List<SimulatedTrelloAction> actions;
        try
        {
            boards = Items<SimulatedTrelloBoard>(root, "boards", path);
            lists = Items<SimulatedTrelloList>(root, "lists", path);
            cards = Items<SimulatedTrelloCard>(root, "cards", path);
            webhooks = Items<SimulatedTrelloWebhook>(root, "webhooks", path);
            actions = Items<SimulatedTrelloAction>(root, "actions", path);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Persistence.Invalid(path, ex.Message, ex);
        }

        if (root["memberId"] is not JsonValue memberId || !memberId.TryGetValue<string>(out var member) || !IsTrelloId(member))
        {
            throw Persistence.Invalid(path, "the member id is missing or not a Trello id.");
        }

        if (lists.FirstOrDefault(l => !boards.Any(b => b.Id == l.IdBoard)) is { } orphan)
        {
            throw Persistence.Invalid(path, $"list {orphan.Id} is on an unknown board.");
        }

        if (cards.FirstOrDefault(c => !lists.Any(l => l.Id == c.IdList)) is { } lost)
        {
            throw Persistence.Invalid(path, $"card {lost.Id} is in an unknown list.");
        }

        lock (Gate)
        {
            MemberId = member;
            _boards.Clear();
            _lists.Clear();
            foreach (var board in boards)
            {
                _boards[board.Id] = board;
            }

            foreach (var list in lists)
            {
                _lists[list.Id] = list;
            }

            _cards.Clear();
            _cards.AddRange(cards);
            _webhooks.Clear();
            _webhooks.AddRange(webhooks);
            _actions.Clear();
            _actions.AddRange(actions);
        }
    }

    private static JsonArray Array<T>(IEnumerable<T> items) => new([.. items.Select(i => JsonSerializer.SerializeToNode(i))]);

    private static List<T> Items<T>(JsonObject root, string name, string path)
        where T : class =>
        [.. (root[name] as JsonArray ?? []).Select(node => node.Deserialize<T>() ?? throw Persistence.Invalid(path, $"an item of {name} is null."))];
}
