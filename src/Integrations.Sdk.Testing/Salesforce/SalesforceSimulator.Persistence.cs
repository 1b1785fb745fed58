namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>Rolling back (allOrNone) and saving and loading the org's data.</summary>
public sealed partial class SalesforceSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "Salesforce simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.SalesforceSimulator", ["version"] = 1 });

    /// <summary>
    /// Writes the org's data to <paramref name="path"/> as JSON: every record (deleted ones too), the deals' pipelines,
    /// the id counters, pending outbound notifications, and the app's credentials (<see cref="ClientId"/>,
    /// <see cref="ClientSecret"/>, <see cref="Username"/>, <see cref="JwtPublicKeyPem"/>). Sessions, query locators,
    /// the daily usage, faults and other settings are not saved: a loaded simulator asks for a new token.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["organizationId"] = OrganizationId,
        ["clientId"] = ClientId,
        ["clientSecret"] = ClientSecret,
        ["username"] = Username,
        ["jwtPublicKeyPem"] = JwtPublicKeyPem,
        ["counters"] = new JsonObject(_counters.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
        ["pipelines"] = new JsonObject(_dealPipelines.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["actionId"] = _actionId,
        ["queued"] = _queued,
        ["pending"] = new JsonArray([.. _pending.Select(n => (JsonNode)new JsonObject
        {
            ["id"] = n.Id,
            ["fields"] = new JsonObject(n.Fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Value))),
        })]),
        ["records"] = new JsonArray([.. _records.Values.SelectMany(l => l).Select(r => (JsonNode)new JsonObject
        {
            ["type"] = r.Type,
            ["fields"] = Plain(r),
        })]),
    }), cancellationToken);

    /// <summary>Replaces the org's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a Salesforce simulator file of a known version, or of another org.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        if (root["organizationId"]?.ToString() != OrganizationId)
        {
            throw Persistence.Invalid(path, $"it holds org {root["organizationId"]}, not {OrganizationId}.");
        }

        var records = new List<SfRecord>();
        foreach (var item in (root["records"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = item["type"]?.ToString();
            if (type is null || !SalesforceSchema.Objects.ContainsKey(type) || item["fields"] is not JsonObject fields || fields["Id"]?.ToString() is not { Length: 18 } id)
            {
                throw Persistence.Invalid(path, $"a record has no known type or id: {item.ToJsonString()}");
            }

            records.Add(new SfRecord(SalesforceSchema.Objects[type].Name, id, new Dictionary<string, JsonNode?>(fields.Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())), StringComparer.OrdinalIgnoreCase)));
        }

        lock (Gate)
        {
            RestoreSnapshot(new Snapshot(
                records,
                (root["counters"] as JsonObject ?? []).ToDictionary(c => c.Key, c => c.Value!.GetValue<long>(), StringComparer.Ordinal),
                (root["pipelines"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<int>(), StringComparer.Ordinal),
                [.. (root["pending"] as JsonArray ?? []).OfType<JsonObject>().Select(n => new Notification(
                    n["id"]!.ToString(),
                    [.. (n["fields"] as JsonObject ?? []).Select(f => (f.Key, f.Value?.ToString() ?? string.Empty))]))],
                root["queued"]?.GetValue<int>() ?? 0));
            _actionId = root["actionId"]?.ToString();
            ClientId = root["clientId"]?.ToString() ?? ClientId;
            ClientSecret = root["clientSecret"]?.ToString() ?? ClientSecret;
            Username = root["username"]?.ToString() ?? Username;
            JwtPublicKeyPem = root["jwtPublicKeyPem"]?.ToString() ?? JwtPublicKeyPem;
            _sessions.Clear();
            _locators.Clear();
        }
    }

    private Snapshot TakeSnapshot() => new(
        [.. _records.Values.SelectMany(l => l).Select(r => r.Clone())],
        new Dictionary<string, long>(_counters, StringComparer.Ordinal),
        new Dictionary<string, int>(_dealPipelines, StringComparer.Ordinal),
        [.. _pending],
        _queued);

    private void RestoreSnapshot(Snapshot snapshot)
    {
        foreach (var list in _records.Values)
        {
            list.Clear();
        }

        _byId.Clear();
        foreach (var record in snapshot.Records)
        {
            _records[record.Type].Add(record);
            _byId[record.Id] = record;
        }

        _counters.Clear();
        foreach (var (prefix, value) in snapshot.Counters)
        {
            _counters[prefix] = value;
        }

        _dealPipelines.Clear();
        foreach (var (id, pipeline) in snapshot.Pipelines)
        {
            _dealPipelines[id] = pipeline;
        }

        _pending.Clear();
        _pending.AddRange(snapshot.Pending);
        _queued = snapshot.Queued;
    }

    private sealed record Snapshot(List<SfRecord> Records, Dictionary<string, long> Counters, Dictionary<string, int> Pipelines, List<Notification> Pending, int Queued);
}
