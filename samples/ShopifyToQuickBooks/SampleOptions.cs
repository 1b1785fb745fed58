using System.Globalization;

namespace ShopifyToQuickBooks;

/// <summary>The sample's command line.</summary>
public sealed record SampleOptions(int Orders, string StatePath, double FaultRate, int Seed, bool DryRun, bool Replay)
{
    public const string Usage = "options: --orders N (200)  --state PATH (shopify-to-quickbooks.db)  --faults RATE 0..1 (0)  --seed N (42)  --dry-run  --replay";

    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions(200, "shopify-to-quickbooks.db", 0, 42, false, false);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value. {Usage}");
            options = name switch
            {
                "--orders" => options with { Orders = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--state" => options with { StatePath = Value() },
                "--faults" => options with { FaultRate = Rate(double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--dry-run" => options with { DryRun = true },
                "--replay" => options with { Replay = true },
                _ => throw new ArgumentException($"Unknown option '{name}'. {Usage}"),
            };
        }

        return options;
    }

    private static int Positive(string name, int value) => value > 0 ? value : throw new ArgumentException($"{name} must be 1 or more.");

    private static double Rate(double value) => value is >= 0 and <= 1 ? value : throw new ArgumentException("--faults must be between 0 and 1.");
}
