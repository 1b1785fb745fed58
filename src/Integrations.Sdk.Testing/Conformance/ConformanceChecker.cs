using System.Text.RegularExpressions;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// Checks HTTP exchanges against the platforms' published specs, then drops the violations an allow-list entry
/// explains (a spec that is wrong, or older than the platform's documented behaviour; each entry says why).
/// </summary>
/// <remarks>
/// <para><see cref="Default"/> holds every spec embedded in this assembly (Stripe, HubSpot, Mailchimp Transactional,
/// Trello, Xero Accounting: OpenAPI; Shopify: the GraphQL Admin schema; QuickBooks: its XML schemas; Salesforce: its Postman collection) and the built-in allow-list
/// (<c>Conformance/conformance-allow.json</c>). Specs are read once per process, on first use.</para>
/// <para>An allow-list is a JSON array of entries: <c>platform</c> (required), <c>side</c> (<c>request</c> or
/// <c>response</c>), <c>operation</c>, <c>where</c> and <c>schema</c> (globs, <c>*</c> for any text, matched against
/// <see cref="ConformanceViolation.Operation"/>, <see cref="ConformanceViolation.Where"/> and
/// <see cref="ConformanceViolation.SchemaLocation"/>), <c>keyword</c> (exact), <c>message</c> (a regular expression,
/// searched in the message) and <c>why</c> (required: the reason the gap is accepted). Absent fields match anything.</para>
/// </remarks>
public sealed class ConformanceChecker
{
    private const string AllowListResource = "Integrations.Sdk.Testing.Conformance.conformance-allow.json";
    private static readonly Lazy<ConformanceChecker> LazyDefault = new(
        () => new ConformanceChecker(BuiltInSpecs(), OpenApiPlatformSpec.ReadResource(AllowListResource)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, IPlatformSpec> _specs;
    private readonly List<Allowance> _allowances;

    /// <summary>A checker over the given specs, with no allow-list.</summary>
    /// <param name="specs">One spec per platform.</param>
    /// <exception cref="ArgumentException">Two specs are for the same platform.</exception>
    public ConformanceChecker(IEnumerable<IPlatformSpec> specs)
        : this(specs, "[]")
    {
    }

    /// <summary>A checker over the given specs and allow-list.</summary>
    /// <param name="specs">One spec per platform.</param>
    /// <param name="allowListJson">The allow-list, a JSON array of entries (see the remarks on <see cref="ConformanceChecker"/>).</param>
    /// <exception cref="ArgumentException">Two specs are for the same platform, or an allow-list entry is malformed or has no <c>why</c>.</exception>
    public ConformanceChecker(IEnumerable<IPlatformSpec> specs, string allowListJson)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(allowListJson);
        _specs = new Dictionary<string, IPlatformSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
        {
            if (!_specs.TryAdd(spec.Platform, spec))
            {
                throw new ArgumentException($"Two specs are given for platform \"{spec.Platform}\".", nameof(specs));
            }
        }

        _allowances = Allowance.Parse(allowListJson);
    }

    /// <summary>Every built-in spec and the built-in allow-list; read once per process, on first use.</summary>
    public static ConformanceChecker Default => LazyDefault.Value;

    /// <summary>Whether a spec of this platform is known (without reading it).</summary>
    /// <param name="platform">The platform name, for example <c>stripe</c>.</param>
    /// <returns><see langword="true"/> when exchanges of that platform are checked.</returns>
    public bool Covers(string platform) => _specs.ContainsKey(platform);

    /// <summary>
    /// Checks one side of an exchange. Answers made by fault injection, or whose status is not known, are not
    /// checked; nor are exchanges of a platform no spec covers.
    /// </summary>
    /// <param name="exchange">The exchange.</param>
    /// <param name="side">Which side to check.</param>
    /// <returns>The violations no allow-list entry explains; empty when the side conforms.</returns>
    public IReadOnlyList<ConformanceViolation> Check(ConformanceExchange exchange, ConformanceSide side)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (!_specs.TryGetValue(exchange.Platform, out var spec)
            || (side == ConformanceSide.Response && (exchange.Injected || exchange.Status is null)))
        {
            return [];
        }

        var found = side == ConformanceSide.Request ? spec.CheckRequest(exchange) : spec.CheckResponse(exchange);
        return found.Count == 0 ? found : [.. found.Where(v => !_allowances.Any(a => a.Explains(v)))];
    }

    /// <summary>The allow-list entries that have explained no violation so far in this process (stale entries to remove).</summary>
    /// <returns>Each unused entry, described by its fields and its <c>why</c>.</returns>
    public IReadOnlyList<string> UnusedAllowances() => [.. _allowances.Where(a => a.Uses == 0).Select(a => a.ToString())];

    // The built-in specs, one per platform. Specs are read on first use, not here.
    private static List<IPlatformSpec> BuiltInSpecs() =>
    [
        OpenApiPlatformSpec.BuiltIn("stripe", null, "stripe.spec3.json"),
        OpenApiPlatformSpec.BuiltIn("hubspot", null, "hubspot.v3-objects.json", "hubspot.v3-contacts.json", "hubspot.v3-tasks.json", "hubspot.v4-associations.json"),

        // The spec's basePath is /api/1.3; Mailchimp serves every version under /api/1.x, each call also with a .json suffix.
        OpenApiPlatformSpec.BuiltIn("mailchimp-transactional", "^/api/1\\.[0-9]+(?<path>/.+?)(?:\\.json)?$", "mailchimp-transactional.transactional.json"),

        // The spec's server is https://api.trello.com/1: its paths lack the /1.
        OpenApiPlatformSpec.BuiltIn("trello", "^/1(?<path>/.*)$", "trello.trello-openapi.json"),

        // The spec's server is https://api.xero.com/api.xro/2.0: its paths lack the /api.xro/2.0.
        OpenApiPlatformSpec.BuiltIn("xero", "^/api\\.xro/2\\.0(?<path>/.*)$", "xero.xero_accounting.json"),
        new ShopifyGraphQlSpec(),

        // QuickBooks publishes XML schemas, not OpenAPI: its JSON is checked against them (QuickBooksXsdSpec).
        QuickBooksXsdSpec.Default,

        // Salesforce publishes no OpenAPI for the core REST API: its Postman collection is the reference (SalesforcePostmanSpec).
        new SalesforcePostmanSpec(),
    ];

    private sealed class Allowance
    {
        private Regex? _operation;
        private Regex? _where;
        private Regex? _schema;
        private Regex? _message;
        private int _uses;

        public required string Platform { get; init; }

        public ConformanceSide? Side { get; init; }

        public string? Keyword { get; init; }

        public required string Why { get; init; }

        public required string Text { get; init; }

        public int Uses => Volatile.Read(ref _uses);

        public static List<Allowance> Parse(string json)
        {
            JsonArray entries;
            try
            {
                entries = JsonNode.Parse(json) as JsonArray ?? throw new ArgumentException("The allow-list must be a JSON array of entries.", nameof(json));
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The allow-list is not JSON: {ex.Message}", nameof(json), ex);
            }

            var list = new List<Allowance>();
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i] as JsonObject ?? throw new ArgumentException($"Allow-list entry {i} is not an object.", nameof(json));
                string? Field(string name) => entry[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                var platform = Field("platform");
                var why = Field("why");
                if (string.IsNullOrWhiteSpace(platform) || string.IsNullOrWhiteSpace(why))
                {
                    throw new ArgumentException($"Allow-list entry {i} needs a \"platform\" and a \"why\" (the reason the gap is accepted): {entry.ToJsonString()}", nameof(json));
                }

                var side = Field("side") switch
                {
                    null => (ConformanceSide?)null,
                    "request" => ConformanceSide.Request,
                    "response" => ConformanceSide.Response,
                    var other => throw new ArgumentException($"Allow-list entry {i}: side \"{other}\" is neither \"request\" nor \"response\".", nameof(json)),
                };
                list.Add(new Allowance
                {
                    Platform = platform,
                    Side = side,
                    Keyword = Field("keyword"),
                    Why = why,
                    Text = $"#{i} platform={platform} side={Field("side") ?? "*"} operation={Field("operation") ?? "*"} where={Field("where") ?? "*"} schema={Field("schema") ?? "*"} keyword={Field("keyword") ?? "*"} message={Field("message") ?? "*"}: {why}",
                    _operation = Glob(Field("operation")),
                    _where = Glob(Field("where")),
                    _schema = Glob(Field("schema")),
                    _message = Field("message") is { } pattern ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null,
                });
            }

            return list;
        }

        public bool Explains(ConformanceViolation violation)
        {
            var explains = string.Equals(Platform, violation.Platform, StringComparison.OrdinalIgnoreCase)
                && (Side is null || Side == violation.Side)
                && (Keyword is null || Keyword == violation.Keyword)
                && (_operation?.IsMatch(violation.Operation) ?? true)
                && (_where?.IsMatch(violation.Where) ?? true)
                && (_schema?.IsMatch(violation.SchemaLocation) ?? true)
                && (_message?.IsMatch(violation.Message) ?? true);
            if (explains)
            {
                Interlocked.Increment(ref _uses);
            }

            return explains;
        }

        public override string ToString() => Text;

        private static Regex? Glob(string? glob) => glob is null ? null
            : new Regex("^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
