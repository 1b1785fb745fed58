using System.Globalization;

namespace ClosedWonOnboarding;

/// <summary>The sample's command line.</summary>
/// <param name="Crm">The CRM: <c>hubspot</c> or <c>salesforce</c>.</param>
/// <param name="StatePath">The SQLite state file.</param>
/// <param name="FaultRate">Share of simulator requests that fail, 0 to 1.</param>
/// <param name="Deals">Deals in the scenario.</param>
/// <param name="Seed">Seeds the scenario and the faults.</param>
/// <param name="LeaveAmbiguous">Leave ambiguous journey triggers for a person instead of resolving them after a look at the journey.</param>
public sealed record SampleOptions(string Crm, string StatePath, double FaultRate, int Deals, int Seed, bool LeaveAmbiguous)
{
    /// <summary>The CRMs the sample can read (connector names).</summary>
    public static readonly IReadOnlyList<string> Crms = ["hubspot", "salesforce"];

    /// <summary>The usage line.</summary>
    public const string Usage = "options: --crm hubspot|salesforce (hubspot)  --state PATH (closed-won-onboarding.db)  --faults RATE 0..1 (0)  --deals N (40)  --seed N (42)  --leave-ambiguous";

    /// <summary>Parses the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <exception cref="ArgumentException">An option is unknown or its value is not valid; the message names it.</exception>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SampleOptions("hubspot", "closed-won-onboarding.db", 0, 40, 42, false);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value. {Usage}");
            options = name switch
            {
                "--crm" => options with { Crm = OneOf(name, Value(), Crms) },
                "--state" => options with { StatePath = Value() },
                "--faults" => options with { FaultRate = Rate(Value()) },
                "--deals" => options with { Deals = AtLeast(name, Number(name, Value()), 10) },
                "--seed" => options with { Seed = Number(name, Value()) },
                "--leave-ambiguous" => options with { LeaveAmbiguous = true },
                _ => throw new ArgumentException($"Unknown option '{name}'. {Usage}"),
            };
        }

        return options;
    }

    private static string OneOf(string name, string value, IReadOnlyList<string> allowed)
    {
        var normalized = value.Trim().ToLowerInvariant();
        return allowed.Contains(normalized, StringComparer.Ordinal)
            ? normalized
            : throw new ArgumentException($"{name} must be {string.Join(" or ", allowed)}, not '{value}'.");
    }

    private static int Number(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} must be a whole number, not '{value}'.");

    private static int AtLeast(string name, int value, int minimum) => value >= minimum ? value : throw new ArgumentException($"{name} must be {minimum} or more.");

    private static double Rate(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
            ? rate
            : throw new ArgumentException($"--faults must be a number between 0 and 1, not '{value}'.");
}
