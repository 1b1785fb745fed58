namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>Saving and loading the simulator's data, so a second process finds what the first one wrote.</summary>
public sealed partial class HubSpotSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "HubSpot simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.HubSpotSimulator", ["version"] = 1 });

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: contacts, tasks (with their associations),
    /// deals (archived ones too), when search finds each object, the custom properties and the id counter. Faults, the throttle and settings are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["lastId"] = _lastId,
        ["customProperties"] = new JsonObject(_custom.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)new JsonArray([.. entry.Value.Order(StringComparer.Ordinal).Select(n => (JsonNode)JsonValue.Create(n))])))),
        ["objects"] = new JsonObject(_objects.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)new JsonArray([.. entry.Value.Select(o =>
        {
            var item = new JsonObject
            {
                ["id"] = o.Id,
                ["properties"] = new JsonObject(o.Properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["createdAt"] = Iso(o.CreatedAt),
                ["updatedAt"] = Iso(o.UpdatedAt),
            };
            if (o.ArchivedAt is { } archivedAt)
            {
                item["archivedAt"] = Iso(archivedAt);
            }

            item["contactIds"] = new JsonArray([.. o.ContactIds.Select(c => (JsonNode)JsonValue.Create(c))]);
            item["searchableAt"] = Iso(o.SearchableAt);
            return (JsonNode)item;
        })])))),
    }), cancellationToken);

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a HubSpot simulator file of a known version.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        var loaded = new Dictionary<string, List<SimObject>>(StringComparer.Ordinal);
        foreach (var type in ObjectTypes)
        {
            var list = new List<SimObject>();
            foreach (var item in (root["objects"]?[type] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = Str(item["id"]) ?? throw Persistence.Invalid(path, $"a {type} object has no id.");
                var created = DateTimeOffset.Parse(Str(item["createdAt"]) ?? throw Persistence.Invalid(path, $"{type} {id} has no createdAt."), CultureInfo.InvariantCulture);
                var updated = DateTimeOffset.Parse(Str(item["updatedAt"]) ?? Str(item["createdAt"])!, CultureInfo.InvariantCulture);
                var contacts = (item["contactIds"] as JsonArray ?? []).Select(Str).OfType<string>().ToList();
                // Files written before the index lag was modeled have no searchableAt: found at once.
                var searchable = Str(item["searchableAt"]) is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : created;
                list.Add(new SimObject(type, id, Properties(item["properties"]), created, updated, contacts)
                {
                    SearchableAt = searchable,
                    ArchivedAt = Str(item["archivedAt"]) is { } archived ? DateTimeOffset.Parse(archived, CultureInfo.InvariantCulture) : null,
                });
            }

            loaded[type] = list;
        }

        lock (Gate)
        {
            foreach (var (type, list) in loaded)
            {
                _objects[type] = list;
            }

            foreach (var type in ObjectTypes)
            {
                _custom[type].Clear();
                _custom[type].UnionWith((root["customProperties"]?[type] as JsonArray ?? []).Select(Str).OfType<string>());
            }

            _lastId = root["lastId"] is JsonValue v && v.TryGetValue<long>(out var last) ? last : _lastId;
        }
    }
}
