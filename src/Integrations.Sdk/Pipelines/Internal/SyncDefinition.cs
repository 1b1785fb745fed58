using Integrations.Sdk.Mapping;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>What a <see cref="SyncBuilder{TSource}"/> collected.</summary>
internal sealed class SyncDefinition<TSource>(string name)
{
    private readonly HashSet<string> _stepNames = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public Func<IServiceProvider, IRecordSource<TSource>>? Source { get; set; }

    public bool Incremental { get; set; }

    public bool AcceptsEvents { get; set; }

    public Func<TSource, string>? Key { get; set; }

    public Func<TSource, bool>? Filter { get; set; }

    public Func<TSource, string>? OrderingKey { get; set; }

    public int Concurrency { get; set; } = 4;

    public int StepAttempts { get; set; } = 3;

    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public SyncSchedule? Schedule { get; set; }

    public JsonSerializerOptions Json { get; set; } = JsonSerializerOptions.Web;

    public Func<SyncEngine, ISyncPipeline>? PipelineFactory { get; private set; }

    public StepBuilder<TSource, TRecord> SetMap<TRecord>(Func<TSource, TRecord> map, MappingDescription? description)
    {
        if (PipelineFactory is not null)
        {
            throw new InvalidOperationException($"Sync '{Name}': Map is declared once, before the steps.");
        }

        var nodes = new List<StepNode<TRecord>>();
        PipelineFactory = engine => new SyncPipeline<TSource, TRecord>(this, map, description, nodes, engine);
        return new StepBuilder<TSource, TRecord>(this, nodes);
    }

    public void ClaimStepName(string step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        if (step.StartsWith('$'))
        {
            throw new ArgumentException($"Sync '{Name}': step names starting with '$' are reserved ('{step}').", nameof(step));
        }

        if (!_stepNames.Add(step))
        {
            throw new ArgumentException($"Sync '{Name}': the step name '{step}' is used twice; step names key the step memo and must be unique.", nameof(step));
        }
    }

    public void Validate()
    {
        if (Key is null)
        {
            throw new InvalidOperationException($"Sync '{Name}': declare the record key with .Key(...); idempotency hangs off it.");
        }

        if (Source is null && !AcceptsEvents)
        {
            throw new InvalidOperationException($"Sync '{Name}': declare where records come from with .FromIncremental(...), .FromFull(...) or .FromEvents().");
        }

        if (PipelineFactory is null)
        {
            throw new InvalidOperationException($"Sync '{Name}': declare at least one step.");
        }

        if (Schedule is not null && Source is null)
        {
            throw new InvalidOperationException(
                $"Sync '{Name}': it has a schedule but no source to read (it takes pushed events, .FromEvents()), so a scheduled run would do nothing; "
                + "read a source with .FromIncremental(...) or .FromFull(...) (such a sync still takes pushed events and webhook routes), or remove the schedule.");
        }
    }
}
