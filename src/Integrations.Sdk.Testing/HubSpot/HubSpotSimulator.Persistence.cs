using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>Saving and loading the simulator's data, so a second process finds what the first one wrote.</summary>
public sealed partial class HubSpotSimulator
{
    private const string FileFormat = "Integrations.Sdk.Testing.HubSpotSimulator";
    private const int FileVersion = 1;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: contacts, tasks (with their associations),
    /// deals and the id counter. Faults, the throttle and settings are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        lock (_gate)
        {
            var objects = new JsonObject();
            foreach (var (type, list) in _objects)
            {
                objects[type] = new JsonArray([.. list.Select(o =>
                {
                    var item = o.ToJson();
                    item["contactIds"] = new JsonArray([.. o.ContactIds.Select(c => (JsonNode)JsonValue.Create(c))]);
                    return (JsonNode)item;
                })]);
            }

            json = new JsonObject
            {
                ["format"] = FileFormat,
                ["version"] = FileVersion,
                ["lastId"] = _lastId,
                ["objects"] = objects,
            }.ToJsonString(Indented);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a HubSpot simulator file of a known version.</exception>
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

        if (Str(root["format"]) != FileFormat || Str(root["version"]) != FileVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"{path} is not a HubSpot simulator file of version {FileVersion}.");
        }

        var loaded = new Dictionary<string, List<SimObject>>(StringComparer.Ordinal);
        foreach (var type in ObjectTypes)
        {
            var list = new List<SimObject>();
            foreach (var item in (root["objects"]?[type] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = Str(item["id"]) ?? throw new InvalidDataException($"{path}: a {type} object has no id.");
                var created = DateTimeOffset.Parse(Str(item["createdAt"]) ?? throw new InvalidDataException($"{path}: {type} {id} has no createdAt."), CultureInfo.InvariantCulture);
                var updated = DateTimeOffset.Parse(Str(item["updatedAt"]) ?? Str(item["createdAt"])!, CultureInfo.InvariantCulture);
                var contacts = (item["contactIds"] as JsonArray ?? []).Select(Str).OfType<string>().ToList();
                list.Add(new SimObject(id, Properties(item["properties"]), created, updated, contacts));
            }

            loaded[type] = list;
        }

        lock (_gate)
        {
            foreach (var (type, list) in loaded)
            {
                _objects[type] = list;
            }

            _lastId = root["lastId"] is JsonValue v && v.TryGetValue<long>(out var last) ? last : _lastId;
        }
    }
}
