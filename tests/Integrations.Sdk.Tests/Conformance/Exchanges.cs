using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing.Conformance;

namespace Integrations.Sdk.Tests.Conformance;

/// <summary>Builds exchanges as the wire would show them, and reads the specs embedded in the Testing package.</summary>
internal static class Exchanges
{
    public static ConformanceExchange Request(string platform, string method, string pathAndQuery, string? contentType = null, string? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return new ConformanceExchange(
            platform,
            method,
            q < 0 ? pathAndQuery : pathAndQuery[..q],
            q < 0 ? "" : pathAndQuery[(q + 1)..],
            headers ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            contentType,
            body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body),
            null,
            null,
            ReadOnlyMemory<byte>.Empty,
            false);
    }

    public static ConformanceExchange Answer(this ConformanceExchange request, int status, string? body, string contentType = "application/json") =>
        request with
        {
            Status = status,
            ResponseContentType = body is null ? null : contentType,
            ResponseBody = body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body),
        };

    /// <summary>A spec file embedded in Integrations.Sdk.Testing, as published (trimmed to the paths used).</summary>
    public static string Spec(string name)
    {
        using var stream = typeof(ConformanceChecker).Assembly.GetManifestResourceStream("Integrations.Sdk.Testing.Specs." + name)
            ?? throw new InvalidOperationException($"No embedded spec {name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>An example object from Stripe's fixtures3.json (<c>resources.{name}</c>).</summary>
    public static JsonObject StripeFixture(string name) => (JsonObject)JsonNode.Parse(Spec("stripe.fixtures3.json"))!["resources"]![name]!.DeepClone();

    public static string Lines(IEnumerable<ConformanceViolation> violations) => string.Join(Environment.NewLine, violations);
}
