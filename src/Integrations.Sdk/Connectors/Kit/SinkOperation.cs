using Integrations.Sdk.Pipelines.Internal;

namespace Integrations.Sdk.Connectors.Kit;

/// <summary>
/// Builds <see cref="ISinkOperation{TInput, TResult}"/>s from delegates, one factory per <see cref="WriteSafety"/>, for
/// connector authors. Each checks that the input is there, runs the optional <c>validate</c> (which throws an
/// <see cref="ArgumentException"/> naming the field at fault, see <see cref="Require"/>) and calls the platform.
/// </summary>
public static class SinkOperation
{
    /// <summary>
    /// A write the platform deduplicates by a key sent with the request (<see cref="WriteSafety.IdempotencyKey"/>): the
    /// step's deterministic key is passed to <paramref name="execute"/>, and a key longer than the platform accepts is
    /// refused before anything is sent.
    /// </summary>
    /// <typeparam name="TInput">What is written.</typeparam>
    /// <typeparam name="TResult">What the platform answers.</typeparam>
    /// <param name="platform">The platform's display name, for messages.</param>
    /// <param name="maxKeyLength">The longest key the platform accepts.</param>
    /// <param name="execute">Sends the write with the key.</param>
    /// <param name="validate">Checks the input before anything is sent; optional.</param>
    public static ISinkOperation<TInput, TResult> WithIdempotencyKey<TInput, TResult>(
        string platform, int maxKeyLength, Func<TInput, string, CancellationToken, Task<TResult>> execute, Action<TInput>? validate = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeyLength, 1);
        ArgumentNullException.ThrowIfNull(execute);
        return new Delegating<TInput, TResult>(WriteSafety.IdempotencyKey, validate, (input, context, ct) =>
        {
            ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
            if (context.IdempotencyKey.Length > maxKeyLength)
            {
                throw new ArgumentException(
                    $"The idempotency key is {context.IdempotencyKey.Length} characters; {platform} accepts at most {maxKeyLength}.", nameof(context));
            }

            return execute(input, context.IdempotencyKey, ct);
        });
    }

    /// <summary>An upsert on a natural key, or setting values that a repeat leaves the same (<see cref="WriteSafety.NaturalUpsert"/>).</summary>
    /// <typeparam name="TInput">What is written.</typeparam>
    /// <typeparam name="TResult">What the platform answers.</typeparam>
    /// <param name="execute">Sends the write.</param>
    /// <param name="validate">Checks the input before anything is sent; optional.</param>
    public static ISinkOperation<TInput, TResult> NaturalUpsert<TInput, TResult>(
        Func<TInput, CancellationToken, Task<TResult>> execute, Action<TInput>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(execute);
        return new Delegating<TInput, TResult>(WriteSafety.NaturalUpsert, validate, (input, _, ct) => execute(input, ct));
    }

    /// <summary>
    /// A write nothing deduplicates (<see cref="WriteSafety.Unsafe"/>): after an attempt with unknown effect the runner
    /// sets the record aside as ambiguous instead of sending it again.
    /// </summary>
    /// <typeparam name="TInput">What is written.</typeparam>
    /// <typeparam name="TResult">What the platform answers.</typeparam>
    /// <param name="execute">Sends the write; it is given the context, whose key some platforms accept as a hint.</param>
    /// <param name="validate">Checks the input before anything is sent; optional.</param>
    public static ISinkOperation<TInput, TResult> Unsafe<TInput, TResult>(
        Func<TInput, WriteContext, CancellationToken, Task<TResult>> execute, Action<TInput>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(execute);
        return new Delegating<TInput, TResult>(WriteSafety.Unsafe, validate, execute);
    }

    /// <summary>
    /// A write that looks before it creates (<see cref="WriteSafety.LookupThenCreate"/>): every attempt runs
    /// <paramref name="lookup"/> first and creates only when it finds nothing, and the runner calls the lookup itself
    /// after an attempt with unknown effect.
    /// </summary>
    /// <typeparam name="TInput">What is written.</typeparam>
    /// <typeparam name="TResult">What the platform answers.</typeparam>
    /// <param name="lookup">Finds what an earlier attempt may have created; <see langword="null"/> when nothing.</param>
    /// <param name="create">Creates it.</param>
    /// <param name="validate">Checks the input before anything is sent; optional.</param>
    public static ILookupThenCreateOperation<TInput, TResult> LookupThenCreate<TInput, TResult>(
        Func<TInput, WriteContext, CancellationToken, Task<TResult?>> lookup,
        Func<TInput, WriteContext, CancellationToken, Task<TResult>> create,
        Action<TInput>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(create);
        return new LookingFirst<TInput, TResult>(validate, lookup, create);
    }

    /// <summary>
    /// The same lookup-then-create operation, declaring that the platform's lookup lags writes (a search index, for
    /// example): after an attempt with unknown effect the runner waits until <paramref name="findableAfter"/> has passed
    /// since that attempt before it looks (<see cref="ILookupThenCreateOperation{TInput, TResult}.FindableAfter"/>).
    /// For example <c>SinkOperation.LookupThenCreate(find, create, validate).WithFindableAfter(TimeSpan.FromSeconds(10))</c>.
    /// </summary>
    /// <typeparam name="TInput">What is written.</typeparam>
    /// <typeparam name="TResult">What the platform answers.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <param name="findableAfter">How long after a write the platform's lookup can be relied on to find it (the platform's documented delay): zero to 1 day.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="findableAfter"/> is out of range.</exception>
    public static ILookupThenCreateOperation<TInput, TResult> WithFindableAfter<TInput, TResult>(
        this ILookupThenCreateOperation<TInput, TResult> operation, TimeSpan findableAfter)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(findableAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(findableAfter, SyncLimits.MaxFindableAfter);
        return new Lagging<TInput, TResult>(operation is Lagging<TInput, TResult> lagging ? lagging.Inner : operation, findableAfter);
    }

    private static void Check<TInput>(TInput input, WriteContext context, Action<TInput>? validate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        validate?.Invoke(input);
    }

    private sealed class Delegating<TInput, TResult>(
        WriteSafety safety, Action<TInput>? validate, Func<TInput, WriteContext, CancellationToken, Task<TResult>> execute)
        : ISinkOperation<TInput, TResult>
    {
        public WriteSafety Safety => safety;

        public Task<TResult> ExecuteAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default)
        {
            Check(input, context, validate);
            return execute(input, context, cancellationToken);
        }
    }

    private sealed class LookingFirst<TInput, TResult>(
        Action<TInput>? validate,
        Func<TInput, WriteContext, CancellationToken, Task<TResult?>> lookup,
        Func<TInput, WriteContext, CancellationToken, Task<TResult>> create)
        : ILookupThenCreateOperation<TInput, TResult>
    {
        public WriteSafety Safety => WriteSafety.LookupThenCreate;

        public Task<TResult?> LookupAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default)
        {
            Check(input, context, validate);
            return lookup(input, context, cancellationToken);
        }

        public async Task<TResult> ExecuteAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default)
        {
            Check(input, context, validate);
            return await lookup(input, context, cancellationToken).ConfigureAwait(false) is { } existing
                ? existing
                : await create(input, context, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Lagging<TInput, TResult>(ILookupThenCreateOperation<TInput, TResult> inner, TimeSpan findableAfter)
        : ILookupThenCreateOperation<TInput, TResult>
    {
        public ILookupThenCreateOperation<TInput, TResult> Inner => inner;

        public WriteSafety Safety => inner.Safety;

        public TimeSpan FindableAfter => findableAfter;

        public Task<TResult?> LookupAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default) =>
            inner.LookupAsync(input, context, cancellationToken);

        public Task<TResult> ExecuteAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default) =>
            inner.ExecuteAsync(input, context, cancellationToken);
    }
}

/// <summary>Builds <see cref="IRecordSource{T}"/>s from a delegate, for connector authors.</summary>
public static class RecordSource
{
    /// <summary>A source whose read is <paramref name="read"/>.</summary>
    /// <typeparam name="T">The record's type.</typeparam>
    /// <param name="read">Streams the records after a checkpoint (<see langword="null"/>: from the start).</param>
    public static IRecordSource<T> Create<T>(Func<string?, CancellationToken, IAsyncEnumerable<SourceRecord<T>>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new Delegating<T>(read);
    }

    private sealed class Delegating<T>(Func<string?, CancellationToken, IAsyncEnumerable<SourceRecord<T>>> read) : IRecordSource<T>
    {
        public IAsyncEnumerable<SourceRecord<T>> ReadAsync(string? checkpoint, CancellationToken cancellationToken = default) =>
            read(checkpoint, cancellationToken);
    }
}

/// <summary>Input checks for sink operations: each throws an <see cref="ArgumentException"/> naming the field at fault.</summary>
public static class Require
{
    /// <summary>Requires a non-blank text.</summary>
    /// <param name="value">The field's value.</param>
    /// <param name="what">What needs it, for example <c>A Stripe metadata update needs a customer</c>.</param>
    /// <param name="field">The field's name, for example <c>CustomerId</c>.</param>
    /// <returns>The value, trimmed.</returns>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public static string Text(string? value, string what, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{what} (field {field}).", field) : value.Trim();

    /// <summary>Requires a non-empty collection.</summary>
    /// <typeparam name="T">The item's type.</typeparam>
    /// <param name="value">The field's value.</param>
    /// <param name="what">What needs it, for example <c>A Stripe metadata update needs at least one key</c>.</param>
    /// <param name="field">The field's name.</param>
    /// <exception cref="ArgumentException">The collection is null or empty.</exception>
    public static void Items<T>(IReadOnlyCollection<T>? value, string what, string field)
    {
        if (value is not { Count: > 0 })
        {
            throw new ArgumentException($"{what} (field {field}).", field);
        }
    }
}
