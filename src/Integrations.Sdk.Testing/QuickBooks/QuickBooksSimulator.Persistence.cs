using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>Saving and loading the simulator's data, so a second process finds what the first one wrote.</summary>
public sealed partial class QuickBooksSimulator
{
    private const string FileFormat = "Integrations.Sdk.Testing.QuickBooksSimulator";
    private const int FileVersion = 1;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: entities, id counters, the <c>requestid</c>
    /// memory, access and refresh tokens (with the rotation chain) and the refresh count. Faults, throttling windows
    /// and settings are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        lock (_gate)
        {
            var entities = new JsonObject();
            foreach (var (name, list) in _entities)
            {
                entities[name] = new JsonArray([.. list.Select(e => e.DeepClone())]);
            }

            var lastIds = new JsonObject();
            foreach (var (name, id) in _lastIds)
            {
                lastIds[name] = id;
            }

            json = new JsonObject
            {
                ["format"] = FileFormat,
                ["version"] = FileVersion,
                ["realmId"] = RealmId,
                ["entities"] = entities,
                ["lastIds"] = lastIds,
                ["replays"] = new JsonArray([.. _replays.Select(r => (JsonNode)new JsonObject { ["key"] = r.Key, ["status"] = r.Value.Status, ["body"] = r.Value.Body })]),
                ["refreshTokens"] = new JsonArray([.. _refreshTokens.Select(t => (JsonNode)new JsonObject
                {
                    ["token"] = t.Key,
                    ["parent"] = t.Value.Parent,
                    ["issuedAt"] = t.Value.IssuedAt,
                    ["revoked"] = t.Value.Revoked,
                })]),
                ["accessTokens"] = new JsonArray([.. _accessTokens.Select(t => (JsonNode)new JsonObject { ["token"] = t.Key, ["expiresAt"] = t.Value })]),
                ["refreshCount"] = _refreshCount,
            }.ToJsonString(Indented);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, json, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved simulator, or was saved for another realm.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path} does not hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not JSON: {ex.Message}", ex);
        }

        if (Str(root["format"]) != FileFormat || (int?)Dec(root["version"]) != FileVersion)
        {
            throw new InvalidDataException($"{path} is not a QuickBooks simulator file of version {FileVersion}.");
        }

        if (Str(root["realmId"]) != RealmId)
        {
            throw new InvalidDataException($"{path} holds realm {Str(root["realmId"])}, but this simulator serves realm {RealmId}.");
        }

        lock (_gate)
        {
            foreach (var name in EntityNames)
            {
                _entities[name] = [.. (root["entities"]?[name] as JsonArray ?? []).OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone())];
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
                _refreshTokens[Str(token["token"])!] = new RefreshTokenState(Str(token["parent"]), ReadTime(token["issuedAt"]), Bool(token["revoked"]));
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
