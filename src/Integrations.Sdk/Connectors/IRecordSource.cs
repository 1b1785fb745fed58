namespace Integrations.Sdk.Connectors;

/// <summary>One record read from a source, with the checkpoint that becomes valid once it and every record before it are finished.</summary>
/// <typeparam name="T">The record's type.</typeparam>
/// <param name="Value">The record.</param>
/// <param name="Checkpoint">
/// The source's cursor after this record (an updated-at watermark, a platform cursor), or <see langword="null"/> when the
/// source has no cursor (a full read).
/// </param>
public readonly record struct SourceRecord<T>(T Value, string? Checkpoint);

/// <summary>
/// Reads records from a platform as a stream, hiding paging. A full read starts with no checkpoint; an incremental
/// read resumes after the checkpoint stored by the last run.
/// </summary>
/// <typeparam name="T">The record's type.</typeparam>
public interface IRecordSource<T>
{
    /// <summary>Streams records, in the order their checkpoints advance.</summary>
    /// <param name="checkpoint">Where to resume; <see langword="null"/> reads everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<SourceRecord<T>> ReadAsync(string? checkpoint, CancellationToken cancellationToken = default);
}
