using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.MultiProcess.Worker;

/// <summary>
/// The state a worker runs on, from its last arguments: <c>sqlite &lt;path&gt;</c> or
/// <c>postgres &lt;connection string&gt; &lt;schema&gt;</c>.
/// </summary>
internal sealed record StateArguments(string Kind, string Target, string? Schema)
{
    public static StateArguments? Parse(ReadOnlySpan<string> args) => args switch
    {
        ["sqlite", var path] => new StateArguments("sqlite", path, null),
        ["postgres", var connection, var schema] => new StateArguments("postgres", connection, schema),
        _ => null,
    };

    /// <summary>Makes the host use this state, replacing whatever state an earlier call registered.</summary>
    public IIntegrationsBuilder Apply(IIntegrationsBuilder integrations) => Kind == "sqlite"
        ? integrations.UseSqliteState(Target)
        : integrations.UsePostgreSqlState(o =>
        {
            o.ConnectionString = Target;
            o.Schema = Schema!;
            o.LockCheckInterval = TimeSpan.FromSeconds(1);
        });
}
