namespace Integrations.Sdk.Testing.Stripe;

/// <summary>
/// What the simulator knows from Stripe's own files, embedded as <c>stripe-simulator-objects.json</c> (made by
/// <c>tools/stripe-simulator-objects.py</c> from stripe/openapi's spec3 (API 2023-08-16) and fixtures3.json): the
/// example objects its answers start from, the parameters each served operation declares, and each object type's
/// expandable fields.
/// </summary>
internal static class StripeSpecData
{
    private const string ResourceName = "Integrations.Sdk.Testing.Stripe.simulator-objects.json";

    private static readonly Lazy<Loaded> Data = new(Load);

    /// <summary>A deep copy of the example object of a type (<c>customer</c>, <c>invoice</c>, <c>line_item</c>, ...).</summary>
    public static JsonObject Template(string type) =>
        (JsonObject)(Data.Value.Objects[type] ?? throw new KeyNotFoundException($"No Stripe example object '{type}'.")).DeepClone();

    /// <summary>The parameters an operation (<c>GET /v1/invoices</c>) declares, by name.</summary>
    public static IReadOnlyDictionary<string, DeclaredParameter> Parameters(string operation) => Data.Value.Operations[operation];

    /// <summary>
    /// Whether <paramref name="field"/> is an expandable field of <paramref name="type"/>; <paramref name="target"/> is the
    /// type it expands to, when the spec names one.
    /// </summary>
    public static bool IsExpandable(string type, string field, out string? target)
    {
        target = null;
        if (!Data.Value.Expandable.TryGetValue(type, out var fields) || !fields.TryGetValue(field, out target))
        {
            return false;
        }

        return true;
    }

    private static Loaded Load()
    {
        using var stream = typeof(StripeSpecData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        var root = JsonNode.Parse(stream)!.AsObject();
        var operations = new Dictionary<string, IReadOnlyDictionary<string, DeclaredParameter>>(StringComparer.Ordinal);
        foreach (var (operation, parameters) in root["operations"]!.AsObject())
        {
            var declared = new Dictionary<string, DeclaredParameter>(StringComparer.Ordinal);
            foreach (var (name, description) in parameters!.AsObject())
            {
                declared[name] = new DeclaredParameter(
                    description!["kind"]!.GetValue<string>(),
                    description["keys"]?.AsArray().Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
                    description["enum"]?.AsArray().Select(k => k!.GetValue<string>()).ToList());
            }

            operations[operation] = declared;
        }

        var expandable = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var (type, fields) in root["expandable"]!.AsObject())
        {
            expandable[type] = fields!.AsObject().ToDictionary(f => f.Key, f => f.Value?.GetValue<string>(), StringComparer.Ordinal);
        }

        return new Loaded(root["objects"]!.AsObject(), operations, expandable);
    }

    private sealed record Loaded(
        JsonObject Objects,
        Dictionary<string, IReadOnlyDictionary<string, DeclaredParameter>> Operations,
        Dictionary<string, Dictionary<string, string?>> Expandable);
}

/// <summary>One parameter an operation declares.</summary>
/// <param name="Kind"><c>string</c>, <c>integer</c>, <c>boolean</c>, <c>array</c>, <c>object</c> or <c>range</c> (<c>created[gte]=...</c> or one integer).</param>
/// <param name="Keys">The sub-keys an object takes; <see langword="null"/> when any (metadata).</param>
/// <param name="Enum">The values a string takes; <see langword="null"/> when any.</param>
internal sealed record DeclaredParameter(string Kind, IReadOnlySet<string>? Keys, IReadOnlyList<string>? Enum);

/// <summary>
/// Which <c>Stripe-Version</c> values Stripe accepts. Stripe answers 400 <c>Invalid Stripe API version: {value}</c> to
/// any other (a malformed date, an unreleased date, a wrong release name, two values, a beta suffix).
/// </summary>
internal static class StripeApiVersions
{
    // Stripe's dated versions before named releases, from its API changelog (docs.stripe.com/changelog, "Previous versions").
    private static readonly HashSet<string> Dated = new(StringComparer.Ordinal)
    {
        "2024-06-20", "2024-04-10", "2023-10-16", "2023-08-16", "2022-11-15", "2022-08-01", "2020-08-27", "2020-03-02",
        "2019-12-03", "2019-11-05", "2019-10-17", "2019-10-08", "2019-09-09", "2019-08-14", "2019-05-16", "2019-03-14",
        "2019-02-19", "2019-02-11", "2018-11-08", "2018-10-31", "2018-09-24", "2018-09-06", "2018-08-23", "2018-07-27",
        "2018-05-21", "2018-02-28", "2018-02-06", "2018-02-05", "2018-01-23", "2017-12-14", "2017-08-15", "2017-06-05",
        "2017-05-25", "2017-04-06", "2017-02-14", "2017-01-27", "2016-10-19", "2016-07-06", "2016-06-15", "2016-03-07",
        "2016-02-29", "2016-02-23", "2016-02-22", "2016-02-19", "2016-02-03", "2015-10-16", "2015-10-12", "2015-10-01",
        "2015-09-23", "2015-09-08", "2015-09-03", "2015-08-19", "2015-08-07", "2015-07-28", "2015-07-13", "2015-07-07",
        "2015-06-15", "2015-04-07", "2015-03-24", "2015-02-18", "2015-02-16", "2015-02-10", "2015-01-26", "2015-01-11",
        "2014-12-22", "2014-12-17", "2014-12-08", "2014-11-20", "2014-11-05", "2014-10-07", "2014-09-08", "2014-08-20",
        "2014-08-04", "2014-07-26", "2014-07-22", "2014-06-17", "2014-06-13", "2014-05-19", "2014-03-28", "2014-03-13",
        "2014-01-31", "2013-12-03", "2013-10-29", "2013-08-13", "2013-08-12", "2013-07-05", "2013-02-13", "2013-02-11",
        "2012-11-07", "2012-10-26", "2012-09-24", "2012-07-09", "2012-06-18", "2012-03-25", "2012-02-23", "2011-09-15",
        "2011-08-01", "2011-06-28", "2011-06-21",
    };

    // Named releases since 2024-09-30: each monthly release carries the name of the last major release.
    private static readonly (DateOnly From, string Name)[] Releases =
    [
        (new DateOnly(2024, 9, 30), "acacia"),
        (new DateOnly(2025, 3, 31), "basil"),
        (new DateOnly(2025, 9, 30), "clover"),
        (new DateOnly(2026, 3, 25), "dahlia"),
    ];

    /// <summary>The newest version the simulator knows (the latest GA when it was written).</summary>
    public const string Latest = "2026-07-29.dahlia";

    /// <summary>Whether Stripe accepts <paramref name="version"/>.</summary>
    public static bool IsValid(string version)
    {
        if (Dated.Contains(version))
        {
            return true;
        }

        var dot = version.IndexOf('.', StringComparison.Ordinal);
        if (dot != 10 || !DateOnly.TryParseExact(version.AsSpan(0, dot), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        var latest = DateOnly.ParseExact(Latest.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var release = Releases.LastOrDefault(r => r.From <= date);
        return release.Name is not null && date <= latest && string.Equals(version[(dot + 1)..], release.Name, StringComparison.Ordinal);
    }
}
