// A stand-in for the conformance checker's contract (ISSUE12-CONTRACT.md), so the recording code builds and is tested
// on its own branch. The real types (conf-core) replace this whole file when the branches are merged: code only
// against the members below. The built-in Default covers no platform here.
#pragma warning disable RS0016 // The real types carry the public API entries.
#pragma warning disable CS1591 // The real types carry the documentation.

namespace Integrations.Sdk.Testing.Conformance;

public enum ConformanceSide
{
    Request,
    Response,
}

public sealed record ConformanceExchange(
    string Platform,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> RequestHeaders,
    string? RequestContentType,
    ReadOnlyMemory<byte> RequestBody,
    int? Status,
    string? ResponseContentType,
    ReadOnlyMemory<byte> ResponseBody,
    bool Injected);

public sealed record ConformanceViolation(
    string Platform,
    ConformanceSide Side,
    string Operation,
    string Where,
    string SchemaLocation,
    string Keyword,
    string Message)
{
    public override string ToString() =>
        $"{Platform} {(Side == ConformanceSide.Request ? "request" : "response")} {Operation}: at {Where}{(SchemaLocation.Length > 0 ? $" ({SchemaLocation})" : "")} [{Keyword}] {Message}";
}

public interface IPlatformSpec
{
    string Platform { get; }

    IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange);

    IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange);
}

public sealed class ConformanceChecker
{
    private readonly Dictionary<string, IPlatformSpec> _specs;

    public ConformanceChecker(IEnumerable<IPlatformSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        _specs = specs.ToDictionary(s => s.Platform, StringComparer.Ordinal);
    }

    public static ConformanceChecker Default { get; } = new([]);

    public bool Covers(string platform) => _specs.ContainsKey(platform);

    public IReadOnlyList<ConformanceViolation> Check(ConformanceExchange exchange, ConformanceSide side)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (!_specs.TryGetValue(exchange.Platform, out var spec))
        {
            return [];
        }

        if (side == ConformanceSide.Request)
        {
            return spec.CheckRequest(exchange);
        }

        return exchange.Injected || exchange.Status is null ? [] : spec.CheckResponse(exchange);
    }
}
