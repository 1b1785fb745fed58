namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>A node of a sync's step list: a step or a branch.</summary>
internal abstract class StepNode<TRecord>
{
    /// <summary>Resolves what the node needs from the host's services (a sink operation and its safety).</summary>
    public abstract StepNode<TRecord> Bind(IServiceProvider services);
}

/// <summary>A step whose definition depends on a service (a sink operation declares its own safety).</summary>
internal sealed class DeferredStep<TRecord>(Func<IServiceProvider, StepDefinition<TRecord>> bind) : StepNode<TRecord>
{
    public override StepNode<TRecord> Bind(IServiceProvider services) => bind(services);
}

/// <summary>One named step, type-erased: it returns its result as an object of <see cref="ResultType"/>.</summary>
internal sealed class StepDefinition<TRecord>(
    string name,
    WriteSafety safety,
    Type resultType,
    Func<TRecord, StepContext, CancellationToken, Task<object?>> execute) : StepNode<TRecord>
{
    public string Name { get; } = name;

    public WriteSafety Safety { get; } = safety;

    public Type ResultType { get; } = resultType;

    public Func<TRecord, StepContext, CancellationToken, Task<object?>> Execute { get; } = execute;

    /// <summary>For lookup-then-create: finds what an earlier ambiguous attempt may have created.</summary>
    public Func<TRecord, StepContext, CancellationToken, Task<object?>>? Lookup { get; init; }

    /// <summary>For lookup-then-create: how long after an ambiguous attempt the lookup can be trusted to find its write.</summary>
    public TimeSpan FindableAfter { get; init; }

    /// <summary>For dry runs: computes the input a sink operation would receive.</summary>
    public Func<TRecord, StepContext, object?>? DescribeInput { get; init; }

    /// <summary>For batch steps: how inputs of several records are written in one call.</summary>
    public BatchSpec? Batch { get; init; }

    /// <summary>Whether, after an ambiguous failure of an unsafe write, the step is sent again anyway.</summary>
    public bool AtLeastOnce { get; init; }

    /// <summary>Whether an ambiguous failure may be retried without risking a duplicate.</summary>
    public override StepNode<TRecord> Bind(IServiceProvider services) => this;

    public bool CanRetryAmbiguous => AtLeastOnce || Safety switch
    {
        WriteSafety.ReadOnly or WriteSafety.IdempotencyKey or WriteSafety.NaturalUpsert => true,
        WriteSafety.LookupThenCreate => Lookup is not null,
        _ => false,
    };
}

/// <summary>Routes a record to one of two step lists by a predicate.</summary>
internal sealed class BranchDefinition<TRecord>(string name, Func<TRecord, bool> predicate) : StepNode<TRecord>
{
    public string Name { get; } = name;

    public Func<TRecord, bool> Predicate { get; } = predicate;

    public List<StepNode<TRecord>> Then { get; } = [];

    public List<StepNode<TRecord>> Otherwise { get; } = [];

    public override StepNode<TRecord> Bind(IServiceProvider services)
    {
        var bound = new BranchDefinition<TRecord>(Name, Predicate);
        bound.Then.AddRange(Then.Select(n => n.Bind(services)));
        bound.Otherwise.AddRange(Otherwise.Select(n => n.Bind(services)));
        return bound;
    }
}
