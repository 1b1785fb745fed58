using System.Text.Json.Serialization.Metadata;

namespace Integrations.Sdk.Testing;

/// <summary>
/// Saves a simulator's state to a JSON file and reads it back, so a second test step or a second process finds what
/// the first one wrote. A stamp (for example <c>{"format": "MySimulator", "version": 1}</c>) is written at the top
/// and checked on load; the write is atomic (a temporary file, then a move); a file that is not JSON, or lacks the
/// stamp, is refused with the simulator's exception.
/// </summary>
/// <remarks>
/// The simulator captures its state under its lock and hands it over as a <see cref="JsonObject"/> (or a typed
/// snapshot with its <see cref="JsonTypeInfo{T}"/>); what it saves, and how a load replaces its data, stays its own.
/// </remarks>
public sealed class SimulatorPersistence
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly string _description;
    private readonly JsonObject _stamp;
    private readonly Func<string, Exception?, Exception> _invalid;

    /// <summary>Creates the persistence of one kind of simulator file.</summary>
    /// <param name="description">What the file holds, for error messages, for example <c>HubSpot simulator</c>.</param>
    /// <param name="stamp">The properties that mark the file: written first, and required with the same values on load.</param>
    /// <param name="invalid">Makes the exception for a file that is not one of these (message, inner exception); <see cref="InvalidDataException"/> by default.</param>
    public SimulatorPersistence(string description, JsonObject stamp, Func<string, Exception?, Exception>? invalid = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(stamp);
        _description = description;
        _stamp = stamp;
        _invalid = invalid ?? ((message, inner) => new InvalidDataException(message, inner));
    }

    /// <summary>Writes <paramref name="state"/>, stamped, to <paramref name="path"/> (replaced if it exists; its folder is created).</summary>
    /// <param name="path">The file.</param>
    /// <param name="state">The state; the stamp's properties are put first.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SaveAsync(string path, JsonObject state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(state);
        var document = (JsonObject)_stamp.DeepClone();
        foreach (var (name, value) in state)
        {
            if (!document.ContainsKey(name))
            {
                document[name] = value?.DeepClone();
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, document.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes a typed snapshot, stamped, to <paramref name="path"/>. See <see cref="SaveAsync(string, JsonObject, CancellationToken)"/>.</summary>
    /// <typeparam name="TState">The snapshot's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="state">The snapshot; it must serialize to a JSON object.</param>
    /// <param name="typeInfo">How to serialize it (a source-generated context's).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync<TState>(string path, TState state, JsonTypeInfo<TState> typeInfo, CancellationToken cancellationToken = default) =>
        SaveAsync(path, JsonSerializer.SerializeToNode(state, typeInfo) as JsonObject ?? throw new ArgumentException("The state does not serialize to a JSON object.", nameof(state)), cancellationToken);

    /// <summary>Reads a file written by <see cref="SaveAsync(string, JsonObject, CancellationToken)"/> and checks its stamp.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The saved state, stamp included.</returns>
    public async Task<JsonObject> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject ?? throw _invalid($"{path} does not hold a JSON object.", null);
        }
        catch (JsonException ex)
        {
            throw _invalid($"{path} is not JSON: {ex.Message}", ex);
        }

        foreach (var (name, value) in _stamp)
        {
            if (!JsonNode.DeepEquals(root[name], value))
            {
                throw _invalid($"{path} is not a {_description} file ({_stamp.ToJsonString()}).", null);
            }
        }

        return root;
    }

    /// <summary>Reads a typed snapshot written by <see cref="SaveAsync{TState}"/> and checks its stamp.</summary>
    /// <typeparam name="TState">The snapshot's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="typeInfo">How to deserialize it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot.</returns>
    public async Task<TState> LoadAsync<TState>(string path, JsonTypeInfo<TState> typeInfo, CancellationToken cancellationToken = default)
    {
        var root = await LoadAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return root.Deserialize(typeInfo) ?? throw _invalid($"{path} holds no {_description} state.", null);
        }
        catch (JsonException ex)
        {
            throw _invalid($"{path} is not a {_description} file: {ex.Message}", ex);
        }
    }

    /// <summary>The exception for a file whose content does not make sense to the simulator (a missing id, a bad date).</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The exception that found it, if any.</param>
    /// <returns>The exception to throw.</returns>
    public Exception Invalid(string path, string problem, Exception? inner = null) => _invalid($"{path}: {problem}", inner);
}
