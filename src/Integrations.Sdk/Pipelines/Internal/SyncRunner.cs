using System.Collections.Concurrent;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>A sync registered with <c>AddSync</c>.</summary>
internal sealed record SyncRegistration(string Name, Func<SyncEngine, ISyncPipeline> Factory)
{
    /// <summary>The type of the records the sync reads or takes (its <c>TSource</c>), to check webhook routes against at start.</summary>
    public Type? RecordType { get; init; }
}

internal sealed class SyncRunner : ISyncRunner
{
    private readonly SyncEngine _engine;
    private readonly Dictionary<string, SyncRegistration> _registrations;
    private readonly ConcurrentDictionary<string, Lazy<ISyncPipeline>> _pipelines = new(StringComparer.Ordinal);

    public SyncRunner(SyncEngine engine, IEnumerable<SyncRegistration> registrations)
    {
        _engine = engine;
        _registrations = registrations.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Syncs => _registrations.Keys;

    public Task<RunReport> RunAsync(string sync, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        Pipeline(sync).RunAsync(options ?? new RunOptions(), cancellationToken);

    public Task<RunReport> ProcessAsync<T>(string sync, IEnumerable<T> records, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return Pipeline(sync).ProcessAsync(records, options ?? new RunOptions(), cancellationToken);
    }

    public Task<RunReport> ProcessAsync<T>(string sync, IAsyncEnumerable<T> records, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return Pipeline(sync).ProcessAsync(records, options ?? new RunOptions(), cancellationToken);
    }

    public async Task<RunReport> ReplayAsync(string deadLetterId, string? editedPayload = null, AmbiguousResolution resolution = AmbiguousResolution.None, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deadLetterId);
        var deadLetter = await _engine.DeadLetters.GetAsync(deadLetterId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No dead letter has the id '{deadLetterId}'.");
        return await Pipeline(deadLetter.Sync).ReplayAsync(deadLetter, editedPayload, resolution, cancellationToken).ConfigureAwait(false);
    }

    internal ISyncPipeline Pipeline(string sync)
    {
        ArgumentException.ThrowIfNullOrEmpty(sync);
        if (!_registrations.TryGetValue(sync, out var registration))
        {
            throw new KeyNotFoundException($"No sync is registered with the name '{sync}'. Registered: {string.Join(", ", _registrations.Keys)}.");
        }

        return _pipelines.GetOrAdd(sync, _ => new Lazy<ISyncPipeline>(() => registration.Factory(_engine))).Value;
    }
}
