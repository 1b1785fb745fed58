using Integrations.Sdk.Mapping;
using Integrations.Sdk.Pipelines.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Pipelines;

/// <summary>
/// Declares a sync, in this order: where records come from (<c>From...</c>), their key, a filter, run options, a
/// mapping, then named steps with optional branches.
/// </summary>
/// <typeparam name="TSource">The type of the records read or received.</typeparam>
public sealed class SyncBuilder<TSource>
{
    internal SyncBuilder(string name) => Definition = new SyncDefinition<TSource>(name);

    internal SyncDefinition<TSource> Definition { get; }

    /// <summary>Reads every record on each run (no checkpoint). Already finished records are skipped by the step memo.</summary>
    /// <param name="source">Creates the source from the host's services.</param>
    public SyncBuilder<TSource> FromFull(Func<IServiceProvider, IRecordSource<TSource>> source) => From(source, incremental: false);

    /// <summary>Reads incrementally: each run resumes after the stored checkpoint, which advances only past finished records.</summary>
    /// <param name="source">Creates the source from the host's services.</param>
    public SyncBuilder<TSource> FromIncremental(Func<IServiceProvider, IRecordSource<TSource>> source) => From(source, incremental: true);

    /// <summary>Reads incrementally from a source exposed by a registered connector.</summary>
    /// <typeparam name="TConnector">The connector's type, resolved from the services.</typeparam>
    /// <param name="source">Selects the source, for example <c>c =&gt; c.Orders</c>.</param>
    public SyncBuilder<TSource> FromIncremental<TConnector>(Func<TConnector, IRecordSource<TSource>> source)
        where TConnector : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        return From(sp => source(sp.GetRequiredService<TConnector>()), incremental: true);
    }

    /// <summary>Reads every record on each run from a source exposed by a registered connector.</summary>
    /// <typeparam name="TConnector">The connector's type, resolved from the services.</typeparam>
    /// <param name="source">Selects the source.</param>
    public SyncBuilder<TSource> FromFull<TConnector>(Func<TConnector, IRecordSource<TSource>> source)
        where TConnector : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        return From(sp => source(sp.GetRequiredService<TConnector>()), incremental: false);
    }

    private SyncBuilder<TSource> From(Func<IServiceProvider, IRecordSource<TSource>> source, bool incremental)
    {
        Definition.Source = source ?? throw new ArgumentNullException(nameof(source));
        Definition.Incremental = incremental;
        return this;
    }

    /// <summary>Takes records pushed to it (webhook events, or <c>ISyncRunner.ProcessAsync</c>) instead of reading a source.</summary>
    public SyncBuilder<TSource> FromEvents()
    {
        Definition.Source = null;
        Definition.AcceptsEvents = true;
        return this;
    }

    /// <summary>The record's key, for example <c>o =&gt; $"shopify:order:{o.Id}"</c>. Required: everything idempotent hangs off it.</summary>
    /// <param name="key">Computes the key.</param>
    public SyncBuilder<TSource> Key(Func<TSource, string> key)
    {
        Definition.Key = key ?? throw new ArgumentNullException(nameof(key));
        return this;
    }

    /// <summary>Processes only records that satisfy the predicate; the others end <see cref="RecordOutcome.Filtered"/>.</summary>
    /// <param name="predicate">The filter.</param>
    public SyncBuilder<TSource> Where(Func<TSource, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var previous = Definition.Filter;
        Definition.Filter = previous is null ? predicate : r => previous(r) && predicate(r);
        return this;
    }

    /// <summary>
    /// Records with the same ordering key are processed one after another, in the order the source read them, while
    /// records of different keys still run concurrently. Use it when a record depends on an earlier one of the same
    /// entity: a refund after its sale (<c>RecordSourceExtensions.SelectMany</c> makes both of one order), the updates
    /// of one customer. Read by a scheduled or manual run only; a replay or a pushed event runs as it comes.
    /// </summary>
    /// <param name="orderingKey">
    /// Computes the record's ordering key, for example the order id; a key that cannot be computed leaves the record
    /// unordered (its record key then fails it as usual).
    /// </param>
    /// <remarks>A sync with an ordering key cannot have batch steps: a batch waits for records that may be waiting their turn.</remarks>
    public SyncBuilder<TSource> WithOrderingKey(Func<TSource, string> orderingKey)
    {
        Definition.OrderingKey = orderingKey ?? throw new ArgumentNullException(nameof(orderingKey));
        return this;
    }

    /// <summary>How many records are processed at once (bounded, with backpressure on the source). <value>Default: 4.</value></summary>
    /// <param name="maxConcurrency">1 to 1024.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is out of range.</exception>
    public SyncBuilder<TSource> WithConcurrency(int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxConcurrency, SyncLimits.MaxConcurrency);
        Definition.Concurrency = maxConcurrency;
        return this;
    }

    /// <summary>
    /// How often a failing step is tried within one run before the record is dead-lettered, with exponential backoff
    /// and jitter from <paramref name="baseDelay"/>. <value>Default: 3 attempts, 2 seconds.</value>
    /// </summary>
    /// <param name="maxAttempts">1 to 100.</param>
    /// <param name="baseDelay">The first delay; zero for none, at most 1 day.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> or <paramref name="baseDelay"/> is out of range.</exception>
    public SyncBuilder<TSource> WithStepRetries(int maxAttempts, TimeSpan baseDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxAttempts, SyncLimits.MaxStepAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(baseDelay, SyncLimits.MaxStepRetryDelay);
        Definition.StepAttempts = maxAttempts;
        Definition.StepRetryDelay = baseDelay;
        return this;
    }

    /// <summary>
    /// Runs the sync from the hosted scheduler: once when the host starts, then every <paramref name="interval"/>
    /// (a fixed rate; a run longer than the interval is followed by one run right after it, runs never overlap).
    /// The same as <c>OnSchedule(SyncSchedule.Every(interval))</c>.
    /// </summary>
    /// <param name="interval">The interval between the starts of two runs: positive, at most 49 days.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is out of range.</exception>
    public SyncBuilder<TSource> Every(TimeSpan interval) => OnSchedule(SyncSchedule.Every(interval));

    /// <summary>
    /// Runs the sync from the hosted scheduler on <paramref name="schedule"/>: a fixed rate, a cron expression or a
    /// time of day, in a time zone, with or without a run at start-up. See <see cref="SyncSchedule"/> for missed runs
    /// after downtime and daylight saving time.
    /// </summary>
    /// <param name="schedule">The schedule; the last one declared wins.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is <see langword="null"/>.</exception>
    public SyncBuilder<TSource> OnSchedule(SyncSchedule schedule)
    {
        Definition.Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        return this;
    }

    /// <summary>
    /// Runs the sync from the hosted scheduler on a cron expression, for example <c>.Cron("0 2 * * *", berlin)</c> for
    /// every night at 02:00 Berlin time. Not at start-up; see <see cref="SyncSchedule.Cron(string, TimeZoneInfo?)"/>.
    /// </summary>
    /// <param name="expression">Five fields (minute hour day-of-month month day-of-week), or six with the seconds first.</param>
    /// <param name="timeZone">The zone the expression's times are in. <value>Default: UTC.</value></param>
    /// <exception cref="ArgumentException">The expression is not valid; the message names it and says what is wrong.</exception>
    public SyncBuilder<TSource> Cron(string expression, TimeZoneInfo? timeZone = null) => OnSchedule(SyncSchedule.Cron(expression, timeZone));

    /// <summary>Runs the sync from the hosted scheduler every day at <paramref name="time"/> in <paramref name="timeZone"/>. Not at start-up.</summary>
    /// <param name="time">The time of day, in whole seconds.</param>
    /// <param name="timeZone">The zone. <value>Default: UTC.</value></param>
    /// <exception cref="ArgumentException"><paramref name="time"/> has a fraction of a second.</exception>
    public SyncBuilder<TSource> DailyAt(TimeOnly time, TimeZoneInfo? timeZone = null) => OnSchedule(SyncSchedule.DailyAt(time, timeZone));

    /// <summary>The JSON options used for payloads in dead letters and results in the step memo. <value>Default: web defaults.</value></summary>
    /// <param name="options">The options.</param>
    public SyncBuilder<TSource> WithJson(JsonSerializerOptions options)
    {
        Definition.Json = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Maps each record before the steps run. A failed mapping dead-letters the record with the reason.</summary>
    /// <typeparam name="TRecord">The mapped type.</typeparam>
    /// <param name="map">The mapping.</param>
    public StepBuilder<TSource, TRecord> Map<TRecord>(Func<TSource, TRecord> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Definition.SetMap(map, null);
    }

    /// <summary>Maps each record with a compiled, self-describing mapper; its table appears in run reports.</summary>
    /// <typeparam name="TRecord">The mapped type.</typeparam>
    /// <param name="mapper">The mapper.</param>
    public StepBuilder<TSource, TRecord> Map<TRecord>(Mapper<TSource, TRecord> mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        return Definition.SetMap(mapper.Map, mapper.Description);
    }

    /// <summary>Adds a step on the unmapped record. See <see cref="StepBuilder{TSource, TRecord}.Step{TResult}(string, WriteSafety, Func{TRecord, StepContext, CancellationToken, Task{TResult}}, bool)"/>.</summary>
    /// <typeparam name="TResult">The step's result.</typeparam>
    /// <param name="name">The step's name, unique in the sync.</param>
    /// <param name="safety">How the step can be retried safely.</param>
    /// <param name="execute">The step.</param>
    /// <param name="atLeastOnce">For <see cref="WriteSafety.Unsafe"/> steps: send again after an ambiguous failure instead of ending ambiguous.</param>
    public StepBuilder<TSource, TSource> Step<TResult>(string name, WriteSafety safety, Func<TSource, StepContext, CancellationToken, Task<TResult>> execute, bool atLeastOnce = false) =>
        Map(static r => r).Step(name, safety, execute, atLeastOnce);

    /// <summary>Adds a sink-operation step on the unmapped record.</summary>
    /// <typeparam name="TInput">The operation's input.</typeparam>
    /// <typeparam name="TResult">The operation's result.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="operation">Resolves the operation.</param>
    /// <param name="input">Computes the operation's input.</param>
    public StepBuilder<TSource, TSource> Step<TInput, TResult>(string name, Func<IServiceProvider, ISinkOperation<TInput, TResult>> operation, Func<TSource, StepContext, TInput> input) =>
        Map(static r => r).Step(name, operation, input);
}

/// <summary>One record's input to a batch step, with its own idempotency key.</summary>
/// <typeparam name="TInput">The input's type.</typeparam>
/// <param name="Input">The record's input.</param>
/// <param name="Write">The record's write context (idempotency key, attempt).</param>
public sealed record BatchItem<TInput>(TInput Input, WriteContext Write);

/// <summary>Declares the named steps of a sync, on the mapped record.</summary>
/// <typeparam name="TSource">The type of the records read.</typeparam>
/// <typeparam name="TRecord">The mapped record the steps see.</typeparam>
public sealed class StepBuilder<TSource, TRecord>
{
    private readonly SyncDefinition<TSource> _definition;
    private readonly List<StepNode<TRecord>> _nodes;

    internal StepBuilder(SyncDefinition<TSource> definition, List<StepNode<TRecord>> nodes)
    {
        _definition = definition;
        _nodes = nodes;
    }

    /// <summary>
    /// Adds a step. Its result is memoized under (sync, record key, step): a rerun, a retry after a crash or a
    /// duplicate event reuses it instead of running the step again. Read it in later steps with
    /// <see cref="StepContext.ResultOf{T}(string)"/>; the step's idempotency key is <see cref="StepContext.IdempotencyKey"/>.
    /// </summary>
    /// <typeparam name="TResult">The step's result, serializable to JSON.</typeparam>
    /// <param name="name">The step's name, unique in the sync.</param>
    /// <param name="safety">How the step can be retried safely. <see cref="WriteSafety.LookupThenCreate"/> needs the overload with a lookup.</param>
    /// <param name="execute">The step.</param>
    /// <param name="atLeastOnce">For <see cref="WriteSafety.Unsafe"/> steps: send again after an ambiguous failure instead of ending ambiguous.</param>
    public StepBuilder<TSource, TRecord> Step<TResult>(string name, WriteSafety safety, Func<TRecord, StepContext, CancellationToken, Task<TResult>> execute, bool atLeastOnce = false)
    {
        ArgumentNullException.ThrowIfNull(execute);
        if (safety == WriteSafety.LookupThenCreate)
        {
            throw new ArgumentException($"Step '{name}': lookup-then-create needs a lookup; use the Step overload that takes lookup and create.", nameof(safety));
        }

        return Add(new StepDefinition<TRecord>(name, safety, typeof(TResult), async (r, c, t) => await execute(r, c, t).ConfigureAwait(false)) { AtLeastOnce = atLeastOnce });
    }

    /// <summary>
    /// Adds a lookup-then-create step: after an attempt with unknown effect, <paramref name="lookup"/> runs first and
    /// <paramref name="create"/> only when it finds nothing.
    /// </summary>
    /// <typeparam name="TResult">The step's result.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="lookup">Finds what an earlier attempt may have created; <see langword="null"/> when nothing.</param>
    /// <param name="create">Creates it.</param>
    public StepBuilder<TSource, TRecord> Step<TResult>(
        string name,
        Func<TRecord, StepContext, CancellationToken, Task<TResult?>> lookup,
        Func<TRecord, StepContext, CancellationToken, Task<TResult>> create)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(create);
        return Add(new StepDefinition<TRecord>(name, WriteSafety.LookupThenCreate, typeof(TResult), async (r, c, t) => await create(r, c, t).ConfigureAwait(false))
        {
            Lookup = async (r, c, t) => await lookup(r, c, t).ConfigureAwait(false),
        });
    }

    /// <summary>Adds a step that runs a connector's sink operation, which declares its own write safety.</summary>
    /// <typeparam name="TInput">The operation's input.</typeparam>
    /// <typeparam name="TResult">The operation's result.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="operation">Resolves the operation from the host's services.</param>
    /// <param name="input">Computes the operation's input from the record and earlier results.</param>
    /// <param name="atLeastOnce">For unsafe operations: send again after an ambiguous failure.</param>
    public StepBuilder<TSource, TRecord> Step<TInput, TResult>(
        string name,
        Func<IServiceProvider, ISinkOperation<TInput, TResult>> operation,
        Func<TRecord, StepContext, TInput> input,
        bool atLeastOnce = false)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(input);
        _definition.ClaimStepName(name);
        _nodes.Add(new DeferredStep<TRecord>(services =>
        {
            var op = operation(services) ?? throw new InvalidOperationException($"Step '{name}': the operation factory returned null.");
            var lookup = op as ILookupThenCreateOperation<TInput, TResult>;
            if (lookup is not null)
            {
                CheckFindableAfter(name, lookup.FindableAfter);
            }

            return new StepDefinition<TRecord>(name, op.Safety, typeof(TResult), async (r, c, t) => await op.ExecuteAsync(input(r, c), c.Write, t).ConfigureAwait(false))
            {
                AtLeastOnce = atLeastOnce,
                DescribeInput = (r, c) => input(r, c),
                Lookup = lookup is null ? null : async (r, c, t) => await lookup.LookupAsync(input(r, c), c.Write, t).ConfigureAwait(false),
                FindableAfter = lookup?.FindableAfter ?? TimeSpan.Zero,
            };
        }));
        return this;
    }

    /// <summary>
    /// Adds a step that writes the inputs of several records in one call, for platforms with batch APIs. The runner
    /// gathers inputs from the records in flight and calls <paramref name="executeBatch"/> when
    /// <paramref name="maxBatchSize"/> are waiting, or when every record in flight is waiting. Each record keeps its
    /// own memo, idempotency key (<see cref="BatchItem{TInput}.Write"/>), retries and outcome; a failed call fails
    /// each record in it, which is then retried (in a later batch) or dead-lettered as usual.
    /// </summary>
    /// <typeparam name="TInput">One record's input.</typeparam>
    /// <typeparam name="TResult">One record's result.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="safety">How the batch call can be retried safely (not lookup-then-create).</param>
    /// <param name="maxBatchSize">The platform's batch limit, for example 100; 1 or more.</param>
    /// <param name="input">Computes one record's input.</param>
    /// <param name="executeBatch">Writes a batch, with the host's services; returns one result per input, in order.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> is less than 1.</exception>
    public StepBuilder<TSource, TRecord> BatchStep<TInput, TResult>(
        string name,
        WriteSafety safety,
        int maxBatchSize,
        Func<TRecord, StepContext, TInput> input,
        Func<IReadOnlyList<BatchItem<TInput>>, IServiceProvider, CancellationToken, Task<IReadOnlyList<TResult>>> executeBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(executeBatch);
        if (safety == WriteSafety.LookupThenCreate)
        {
            throw new ArgumentException($"Step '{name}': a batch step cannot be lookup-then-create.", nameof(safety));
        }

        var spec = new BatchSpec(maxBatchSize, async (items, services, ct) =>
        {
            var results = await executeBatch([.. items.Select(i => new BatchItem<TInput>((TInput)i.Input!, i.Write))], services, ct).ConfigureAwait(false);
            return [.. results.Select(r => (object?)r)];
        });
        return Add(new StepDefinition<TRecord>(name, safety, typeof(TResult), static (_, _, _) => Task.FromResult<object?>(null))
        {
            Batch = spec,
            DescribeInput = (r, c) => input(r, c),
        });
    }

    /// <summary>Routes each record to <paramref name="then"/> when <paramref name="predicate"/> holds, else to <paramref name="otherwise"/>.</summary>
    /// <param name="name">The branch's name, for traces.</param>
    /// <param name="predicate">The condition.</param>
    /// <param name="then">Steps for records that satisfy it.</param>
    /// <param name="otherwise">Steps for the others; optional.</param>
    public StepBuilder<TSource, TRecord> When(string name, Func<TRecord, bool> predicate, Action<StepBuilder<TSource, TRecord>> then, Action<StepBuilder<TSource, TRecord>>? otherwise = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(then);
        var branch = new BranchDefinition<TRecord>(name, predicate);
        then(new StepBuilder<TSource, TRecord>(_definition, branch.Then));
        otherwise?.Invoke(new StepBuilder<TSource, TRecord>(_definition, branch.Otherwise));
        _nodes.Add(branch);
        return this;
    }

    private static void CheckFindableAfter(string name, TimeSpan findableAfter)
    {
        if (findableAfter < TimeSpan.Zero || findableAfter > SyncLimits.MaxFindableAfter)
        {
            throw new ArgumentOutOfRangeException(
                nameof(findableAfter), findableAfter, $"Step '{name}': the time before a write is findable must be between zero and {SyncLimits.MaxFindableAfter.TotalDays:0} day.");
        }
    }

    private StepBuilder<TSource, TRecord> Add(StepDefinition<TRecord> step)
    {
        _definition.ClaimStepName(step.Name);
        _nodes.Add(step);
        return this;
    }
}
