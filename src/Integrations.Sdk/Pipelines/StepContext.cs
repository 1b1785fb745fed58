using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Pipelines;

/// <summary>What a step sees: its record's identity, its idempotency key, earlier steps' results and the services.</summary>
public sealed class StepContext
{
    private readonly ConcurrentDictionary<string, object?> _results;
    private readonly IReadOnlyDictionary<string, string?> _storedResults;
    private readonly JsonSerializerOptions _json;

    internal StepContext(string sync, string recordKey, IServiceProvider services, IReadOnlyDictionary<string, string?> storedResults, JsonSerializerOptions json, bool dryRun)
    {
        Sync = sync;
        RecordKey = recordKey;
        Services = services;
        _storedResults = storedResults;
        _json = json;
        DryRun = dryRun;
        _results = new(StringComparer.Ordinal);
    }

    /// <summary>The sync's name.</summary>
    public string Sync { get; }

    /// <summary>The record's key.</summary>
    public string RecordKey { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Whether this is a dry run.</summary>
    public bool DryRun { get; }

    /// <summary>The write context of the step now running: its idempotency key and attempt.</summary>
    public WriteContext Write { get; internal set; } = null!;

    /// <summary>The current step's idempotency key (see <see cref="IdempotencyKeys.Derive"/>).</summary>
    public string IdempotencyKey => Write.IdempotencyKey;

    /// <summary>Resolves a service (a connector, for example).</summary>
    /// <typeparam name="T">The service type.</typeparam>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Returns the result of an earlier step of this record, from this run or, when the step completed in an earlier
    /// run, from the step memo.
    /// </summary>
    /// <typeparam name="T">The step's result type.</typeparam>
    /// <param name="step">The earlier step's name.</param>
    /// <exception cref="InvalidOperationException">The step has not completed for this record.</exception>
    public T ResultOf<T>(string step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_results.TryGetValue(step, out var value))
        {
            return value is T typed ? typed : (T)value!;
        }

        if (_storedResults.TryGetValue(step, out var json))
        {
            var restored = json is null ? default : JsonSerializer.Deserialize<T>(json, _json);
            _results[step] = restored;
            return restored!;
        }

        throw new InvalidOperationException(DryRun
            ? $"Step '{step}' has not run for record '{RecordKey}': in a dry run, writes are planned, not made, so their results are unavailable."
            : $"Step '{step}' has not completed for record '{RecordKey}'. Steps can only read the results of steps before them.");
    }

    /// <summary>
    /// Refuses the record: it is dead-lettered at once with <paramref name="reason"/> (no retry), and the following
    /// steps do not run. A step calls it for data it can tell is wrong, for example
    /// <c>if (string.IsNullOrEmpty(c.Email)) step.Reject("Email is empty");</c>.
    /// </summary>
    /// <param name="reason">Why, for the person who reads the dead letter; name the field at fault.</param>
    /// <exception cref="RecordRejectedException">Always.</exception>
    [DoesNotReturn]
    public void Reject(string reason) => throw new RecordRejectedException(reason);

    internal Internal.BatchCoordinator? Batches { get; init; }

    internal void SetResult(string step, object? value) => _results[step] = value;

    internal bool HasResult(string step) => _results.ContainsKey(step) || _storedResults.ContainsKey(step);
}
