using System.Globalization;

namespace ShopifyToQuickBooks;

/// <summary>The sample's command line.</summary>
public sealed record SampleOptions(int Orders, string StatePath, double FaultRate, int Seed, bool DryRun, bool Replay)
{
    /// <summary>The stores the sample can read from (connector names).</summary>
    public static readonly IReadOnlyList<string> Stores = ["shopify", "woocommerce"];

    /// <summary>The books the sample can write to (connector names).</summary>
    public static readonly IReadOnlyList<string> BooksPlatforms = ["quickbooks", "xero"];

    public const string Usage = "options: --store shopify|woocommerce (shopify)  --books quickbooks|xero (quickbooks)  --orders N (200)  --state PATH (shopify-to-quickbooks.db)  --faults RATE 0..1 (0)  --seed N (42)  --dry-run  --replay";

    /// <summary>The store to read orders from. <value>Default: <c>shopify</c>.</value></summary>
    public string Store { get; init; } = "shopify";

    /// <summary>The books to book them in. <value>Default: <c>quickbooks</c>.</value></summary>
    public string Books { get; init; } = "quickbooks";

    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions(200, "shopify-to-quickbooks.db", 0, 42, false, false);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value. {Usage}");
            options = name switch
            {
                "--store" => options with { Store = OneOf(name, Value(), Stores) },
                "--books" => options with { Books = OneOf(name, Value(), BooksPlatforms) },
                "--orders" => options with { Orders = Positive(name, Number(name, Value())) },
                "--state" => options with { StatePath = Value() },
                "--faults" => options with { FaultRate = Rate(Value()) },
                "--seed" => options with { Seed = Number(name, Value()) },
                "--dry-run" => options with { DryRun = true },
                "--replay" => options with { Replay = true },
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

    private static int Positive(string name, int value) => value > 0 ? value : throw new ArgumentException($"{name} must be 1 or more.");

    private static double Rate(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
            ? rate
            : throw new ArgumentException($"--faults must be a number between 0 and 1, not '{value}'.");
}
