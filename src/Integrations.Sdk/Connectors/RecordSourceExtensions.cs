using System.Buffers;
using System.Runtime.CompilerServices;

namespace Integrations.Sdk.Connectors;

/// <summary>
/// Composes record sources: <see cref="Select{T, TOut}"/> reshapes records, <see cref="SelectMany{T, TOut}"/> makes
/// several (or none) of each, <see cref="Where{T}"/> leaves some out,
/// <see cref="Merge{T}"/> reads several sources as one. Each keeps the checkpoints right, so an incremental sync over
/// a composed source resumes where it stopped, never past a record it has not finished.
/// </summary>
public static class RecordSourceExtensions
{
    /// <summary>
    /// A source whose records are <paramref name="selector"/> applied to <paramref name="source"/>'s, each keeping its
    /// checkpoint. Use it to give a polled source the record type of a webhook route, so both feed one sync.
    /// </summary>
    /// <typeparam name="T">The source's record type.</typeparam>
    /// <typeparam name="TOut">The new record type.</typeparam>
    /// <param name="source">The source.</param>
    /// <param name="selector">
    /// Turns a record into the new one, while the source is read. If it throws while a sync reads the source, the
    /// record is dead-lettered as read (step <c>$select</c>, with the exception's message) and reading goes on: replay
    /// it with a corrected payload of the new type. Read directly with <see cref="IRecordSource{T}.ReadAsync"/>, the
    /// exception stops the read. Use <see cref="Where{T}"/> first to leave out records that are not meant to convert.
    /// </param>
    /// <returns>The mapped source.</returns>
    public static IRecordSource<TOut> Select<T, TOut>(this IRecordSource<T> source, Func<T, TOut> selector)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        return new Selected<T, TOut>(source, selector);
    }

    /// <summary>
    /// A source whose records are the records <paramref name="selector"/> makes of each of <paramref name="source"/>'s,
    /// in order: for example an order read once becomes a sale and one event per refund. The checkpoint moves past a
    /// record of <paramref name="source"/> only once all the records made of it are finished: only the last one carries
    /// the record's checkpoint, the ones before it carry the checkpoint before the record. A run that stops half-way
    /// through them reads the record again on the next run; the ones already finished are skipped by the step memo, so
    /// give each a key of its own (for example <c>order:1001:refund:7</c>).
    /// </summary>
    /// <typeparam name="T">The source's record type.</typeparam>
    /// <typeparam name="TOut">The type of the records made of each.</typeparam>
    /// <param name="source">The source.</param>
    /// <param name="selector">
    /// Makes the records of one record, while the source is read; it is read to the end before any of them is handed
    /// over. None is fine: the checkpoint moves past the record as past one a <see cref="Where{T}"/> left out. If it
    /// throws while a sync reads the source, the record is dead-lettered as read (step <c>$select</c>, with the
    /// exception's message) and reading goes on, as with <see cref="Select{T, TOut}"/>; a replay takes a corrected
    /// payload of the new type, which stands for one of the records made of it. Read directly with
    /// <see cref="IRecordSource{T}.ReadAsync"/>, the exception stops the read.
    /// </param>
    /// <returns>The flattened source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="selector"/> is <see langword="null"/>.</exception>
    public static IRecordSource<TOut> SelectMany<T, TOut>(this IRecordSource<T> source, Func<T, IEnumerable<TOut>> selector)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        return new Flattened<T, TOut>(source, selector);
    }

    /// <summary>
    /// A source with only the records of <paramref name="source"/> that satisfy <paramref name="predicate"/>, each
    /// keeping its checkpoint. The records left out are never processed and never counted in a run, yet progress past
    /// them is kept: a kept record's checkpoint already covers the ones left out before it, and when a sync reads the
    /// source, the checkpoint also moves past records left out after the last kept one (or past a long run of them),
    /// once every record before them is finished. So a filter that keeps few records does not make the next run read
    /// the same left-out records again. Read directly with <see cref="IRecordSource{T}.ReadAsync"/>, the last
    /// checkpoint you see is the last kept record's.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="source">The source.</param>
    /// <param name="predicate">Whether to keep a record; called while the source is read.</param>
    /// <returns>The filtered source.</returns>
    /// <remarks>
    /// Unlike the sync's own <c>Where</c> (whose records end <c>Filtered</c> in the run report), records left out here
    /// do not appear in the run at all.
    /// </remarks>
    public static IRecordSource<T> Where<T>(this IRecordSource<T> source, Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(predicate);
        return new Filtered<T>(source, predicate);
    }

    /// <summary>
    /// One source reading <paramref name="first"/>, then each of <paramref name="others"/>, one after another in that
    /// order, each from its own checkpoint. The checkpoint of a merged record is a JSON array holding every source's
    /// cursor at that point (<c>["evt_123",null]</c>, <see langword="null"/> for a source with none yet), so a run
    /// that stops half-way resumes each source where it was: the sources already read from their last record, the one
    /// being read from its last finished record, the others from where they were before. The checkpoint is
    /// <see langword="null"/> while no source has one.
    /// </summary>
    /// <typeparam name="T">The record type they share (use <see cref="Select{T, TOut}"/> to make it so).</typeparam>
    /// <param name="first">The source read first.</param>
    /// <param name="others">The sources read after it, in order.</param>
    /// <returns>The merged source.</returns>
    /// <remarks>
    /// The stored checkpoint is tied to the number and order of the sources: keep adding sources at the end only
    /// together with a run with <c>RunOptions.FullRefresh</c>, since a checkpoint of another shape (or one stored
    /// before the source was merged) is refused with an <see cref="ArgumentException"/> saying so. A source that
    /// fails stops the read; the ones after it are read on the next run. Records the sources share are read twice;
    /// the record key and the step memo make that harmless.
    /// </remarks>
    /// <exception cref="ArgumentNullException">A source is <see langword="null"/>.</exception>
    public static IRecordSource<T> Merge<T>(this IRecordSource<T> first, params IRecordSource<T>[] others)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(others);
        for (var i = 0; i < others.Length; i++)
        {
            if (others[i] is null)
            {
                throw new ArgumentNullException(nameof(others), $"Merged source {i + 2} (others[{i}]) is null.");
            }
        }

        return new Merged<T>([first, .. others]);
    }

    /// <summary>
    /// Reads a source as the sync engine does: its records, plus, for composed sources, the points where the
    /// checkpoint may move past records a <see cref="Where{T}"/> left out.
    /// </summary>
    internal static IAsyncEnumerable<SourceItem<T>> ReadItemsAsync<T>(this IRecordSource<T> source, string? checkpoint, CancellationToken cancellationToken) =>
        source is ComposedSource<T> composed ? composed.ReadItemsAsync(checkpoint, cancellationToken) : Plain(source, checkpoint, cancellationToken);

    private static async IAsyncEnumerable<SourceItem<T>> Plain<T>(IRecordSource<T> source, string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in source.ReadAsync(checkpoint, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return SourceItem<T>.Record(record.Value, record.Checkpoint);
        }
    }

    /// <summary>A record as read, for a dead letter: its JSON, or a description when it cannot be serialized.</summary>
    private static string PayloadOf<T>(T value)
    {
        try
        {
            return JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return JsonSerializer.Serialize(new { error = $"the record could not be serialized: {ex.Message}", record = value?.ToString() });
        }
    }

    private sealed class Selected<T, TOut>(IRecordSource<T> source, Func<T, TOut> selector) : ComposedSource<TOut>
    {
        internal override async IAsyncEnumerable<SourceItem<TOut>> ReadItemsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var item in source.ReadItemsAsync(checkpoint, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (!item.IsRecord)
                {
                    yield return new SourceItem<TOut>(default!, item.Checkpoint, false, item.Failure);
                    continue;
                }

                TOut converted;
                SourceFailure? failure = null;
                try
                {
                    converted = selector(item.Value);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Not this source's to stop on: the sync dead-letters the record as read, and reading goes on.
                    converted = default!;
                    failure = new SourceFailure(PayloadOf(item.Value), $"the source's Select could not convert the record: {ex.Message}", ex);
                }

                yield return failure is null ? SourceItem<TOut>.Record(converted, item.Checkpoint) : new SourceItem<TOut>(default!, item.Checkpoint, false, failure);
            }
        }
    }

    private sealed class Flattened<T, TOut>(IRecordSource<T> source, Func<T, IEnumerable<TOut>> selector) : ComposedSource<TOut>
    {
        internal override async IAsyncEnumerable<SourceItem<TOut>> ReadItemsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var before = checkpoint; // the checkpoint valid before the record being flattened
            await foreach (var item in source.ReadItemsAsync(checkpoint, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!item.IsRecord)
                {
                    yield return new SourceItem<TOut>(default!, item.Checkpoint, false, item.Failure);
                    before = item.Checkpoint ?? before;
                    continue;
                }

                List<TOut>? children = null;
                SourceFailure? failure = null;
                try
                {
                    // All of them first: a selector that fails half-way sets the whole record aside, none of it half-done.
                    children = [.. selector(item.Value)];
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failure = new SourceFailure(PayloadOf(item.Value), $"the source's SelectMany could not convert the record: {ex.Message}", ex);
                }

                if (failure is not null)
                {
                    yield return new SourceItem<TOut>(default!, item.Checkpoint, false, failure);
                }
                else if (children!.Count == 0)
                {
                    if (item.Checkpoint is not null)
                    {
                        yield return SourceItem<TOut>.Progress(item.Checkpoint);
                    }
                }
                else
                {
                    for (var i = 0; i < children.Count; i++)
                    {
                        // Only the last one may move the checkpoint past the record: the others keep it before the record.
                        yield return SourceItem<TOut>.Record(children[i], i == children.Count - 1 ? item.Checkpoint : before);
                    }
                }

                before = item.Checkpoint ?? before;
            }
        }
    }

    private sealed class Filtered<T>(IRecordSource<T> source, Func<T, bool> predicate) : ComposedSource<T>
    {
        /// <summary>After this many records left out in a row, the checkpoint may move past them even before a kept one comes.</summary>
        private const int ProgressEvery = 100;

        internal override async IAsyncEnumerable<SourceItem<T>> ReadItemsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            string? leftOut = null; // the checkpoint after the records left out since the last item yielded
            var inARow = 0;
            await foreach (var item in source.ReadItemsAsync(checkpoint, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (item.IsRecord && !predicate(item.Value))
                {
                    leftOut = item.Checkpoint ?? leftOut;
                    if (++inARow >= ProgressEvery && leftOut is not null)
                    {
                        yield return SourceItem<T>.Progress(leftOut);
                        (leftOut, inARow) = (null, 0);
                    }

                    continue;
                }

                // A kept record's checkpoint covers the records left out before it, unless it has none.
                if (leftOut is not null && item.Checkpoint is null)
                {
                    yield return SourceItem<T>.Progress(leftOut);
                }

                (leftOut, inARow) = (null, 0);
                yield return item;
            }

            if (leftOut is not null)
            {
                yield return SourceItem<T>.Progress(leftOut);
            }
        }
    }

    private sealed class Merged<T>(IReadOnlyList<IRecordSource<T>> sources) : ComposedSource<T>
    {
        internal override async IAsyncEnumerable<SourceItem<T>> ReadItemsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var cursors = Parse(checkpoint, sources.Count);
            for (var i = 0; i < sources.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await foreach (var item in sources[i].ReadItemsAsync(cursors[i], cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    // Sources are read one after another, so the array only ever moves forward in the order records come.
                    cursors[i] = item.Checkpoint ?? cursors[i];
                    yield return item with { Checkpoint = Format(cursors) };
                }
            }
        }

        private static string? Format(string?[] cursors)
        {
            if (Array.TrueForAll(cursors, static c => c is null))
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var cursor in cursors)
                {
                    if (cursor is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteStringValue(cursor);
                    }
                }

                writer.WriteEndArray();
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        private static string?[] Parse(string? checkpoint, int count)
        {
            if (checkpoint is null)
            {
                return new string?[count];
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(checkpoint);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw Invalid(checkpoint, count, "it is not JSON");
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(checkpoint, count, $"it is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an array");
            }

            if (root.GetArrayLength() != count)
            {
                throw Invalid(checkpoint, count, $"it holds {root.GetArrayLength()} cursors where this source merges {count} sources");
            }

            var cursors = new string?[count];
            var index = 0;
            foreach (var cursor in root.EnumerateArray())
            {
                cursors[index] = cursor.ValueKind switch
                {
                    JsonValueKind.String => cursor.GetString(),
                    JsonValueKind.Null => null,
                    var kind => throw Invalid(checkpoint, count, $"the cursor of merged source {index + 1} of {count} is a JSON {kind.ToString().ToLowerInvariant()}, not a string or null"),
                };
                index++;
            }

            return cursors;
        }

        private static ArgumentException Invalid(string checkpoint, int count, string problem) => new(
            $"The checkpoint '{(checkpoint.Length > 200 ? checkpoint[..200] + "..." : checkpoint)}' is not one of a merged source of {typeof(T).Name} "
            + $"(RecordSourceExtensions.Merge): {problem}. It must be a JSON array of {count} cursors (strings or null), one per merged source in "
            + "the order given to Merge. A checkpoint stored before the source was merged, or with another number of sources, cannot be read: "
            + "run the sync once with RunOptions.FullRefresh, which reads every source from the start (finished records end Skipped) and stores a new checkpoint.",
            nameof(checkpoint));
    }
}

/// <summary>
/// A record a composed source read but could not hand over (its <c>Select</c> threw): the sync dead-letters it (step
/// <c>$select</c>) with the record as read and the reason, and the checkpoint moves past it like past a finished record.
/// </summary>
/// <param name="Payload">The record as read, in JSON (or a description when it cannot be serialized).</param>
/// <param name="Reason">Why it could not be converted.</param>
/// <param name="Error">The selector's exception.</param>
internal sealed record SourceFailure(string Payload, string Reason, Exception Error);

/// <summary>A record source built from others, which can say where the checkpoint may move past records it left out.</summary>
/// <typeparam name="T">The record type.</typeparam>
internal abstract class ComposedSource<T> : IRecordSource<T>
{
    public async IAsyncEnumerable<SourceRecord<T>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in ReadItemsAsync(checkpoint, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (item.IsRecord)
            {
                yield return new SourceRecord<T>(item.Value, item.Checkpoint);
            }
            else if (item.Failure is { } failure)
            {
                // Read directly, outside a sync, there is no dead-letter store: the selector's exception stops the read.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure.Error);
            }
        }
    }

    /// <summary>Streams the records and the progress points, in checkpoint order.</summary>
    internal abstract IAsyncEnumerable<SourceItem<T>> ReadItemsAsync(string? checkpoint, CancellationToken cancellationToken);
}

/// <summary>
/// What the sync engine reads from a source: a record with its checkpoint, or (<see cref="IsRecord"/> false) only a
/// checkpoint, valid once every record before it is finished, past records the source left out.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal readonly record struct SourceItem<T>(T Value, string? Checkpoint, bool IsRecord, SourceFailure? Failure = null)
{
    public static SourceItem<T> Record(T value, string? checkpoint) => new(value, checkpoint, true);

    public static SourceItem<T> Progress(string checkpoint) => new(default!, checkpoint, false);
}
