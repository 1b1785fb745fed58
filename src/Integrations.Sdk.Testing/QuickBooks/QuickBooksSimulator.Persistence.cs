namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>Saving and loading the simulator's data, so a second process finds what the first one wrote.</summary>
public sealed partial class QuickBooksSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "QuickBooks simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.QuickBooksSimulator", ["version"] = 1 });

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: entities, id counters, the <c>requestid</c>
    /// memory, access and refresh tokens (with the rotation chain) and the refresh count. Faults, throttling windows
    /// and settings are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["realmId"] = RealmId,
        ["entities"] = new JsonObject(_entities.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(o => o.DeepClone())])))),
        ["lastIds"] = new JsonObject(_lastIds.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["replays"] = new JsonArray([.. _replays.Select(r => (JsonNode)new JsonObject { ["key"] = r.Key, ["status"] = r.Value.Status, ["body"] = r.Value.Body })]),
        ["refreshTokens"] = new JsonArray([.. _refreshTokens.Select(t => (JsonNode)new JsonObject
        {
            ["token"] = t.Key,
            ["parent"] = t.Value.Parent,
            ["issuedAt"] = t.Value.IssuedAt,
            ["revoked"] = t.Value.Revoked,
            ["rotatedAt"] = t.Value.RotatedAt,
        })]),
        ["accessTokens"] = new JsonArray([.. _accessTokens.Select(t => (JsonNode)new JsonObject { ["token"] = t.Key, ["expiresAt"] = t.Value })]),
        ["refreshCount"] = _refreshCount,
    }), cancellationToken);

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved simulator, or was saved for another realm.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        if (Str(root["realmId"]) != RealmId)
        {
            throw new InvalidDataException($"{path} holds realm {Str(root["realmId"])}, but this simulator serves realm {RealmId}.");
        }

        lock (Gate)
        {
            foreach (var name in EntityNames)
            {
                if (root["entities"]?[name] is not JsonArray saved)
                {
                    // Saved before the simulator served this entity: keep what a new company starts with.
                    continue;
                }

                _entities[name] = [.. saved.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone())];
                _lastIds[name] = (int)(Dec(root["lastIds"]?[name]) ?? _entities[name].Count);
            }

            _replays.Clear();
            foreach (var replay in (root["replays"] as JsonArray ?? []).OfType<JsonObject>())
            {
                _replays[Str(replay["key"])!] = new QboAnswer((int)(Dec(replay["status"]) ?? 200), Str(replay["body"]) ?? "{}");
            }

            _refreshTokens.Clear();
            foreach (var token in (root["refreshTokens"] as JsonArray ?? []).OfType<JsonObject>())
            {
                _refreshTokens[Str(token["token"])!] = new RefreshTokenState(Str(token["parent"]), ReadTime(token["issuedAt"]), Bool(token["revoked"]),
                    token["rotatedAt"] is null ? null : ReadTime(token["rotatedAt"]));
            }

            _accessTokens.Clear();
            foreach (var token in (root["accessTokens"] as JsonArray ?? []).OfType<JsonObject>())
            {
                _accessTokens[Str(token["token"])!] = ReadTime(token["expiresAt"]);
            }

            _refreshCount = (int)(Dec(root["refreshCount"]) ?? 0);
        }
    }

    private static DateTimeOffset ReadTime(JsonNode? node) =>
        DateTimeOffset.TryParse(Str(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : DateTimeOffset.MinValue;
}
