// STUB of the issue-12 contract (ISSUE12-CONTRACT.md), so that this branch builds on its own.
// The real types are written by helper conf-core; drop this file at merge. Not in PublicAPI on purpose.
#pragma warning disable RS0016, RS0026, RS0027, CS1591, SA1402, SA1649, CA1034, CA1819, MA0048

namespace Integrations.Sdk.Testing.Conformance;

public enum ConformanceSide { Request, Response }

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
    string Platform, ConformanceSide Side,
    string Operation,
    string Where,
    string SchemaLocation,
    string Keyword,
    string Message)
{
    public override string ToString() =>
        $"{Platform} {(Side == ConformanceSide.Request ? "request" : "response")} {Operation}: at {Where} ({SchemaLocation}) [{Keyword}] {Message}";
}

public interface IPlatformSpec
{
    string Platform { get; }

    IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange);

    IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange);
}
