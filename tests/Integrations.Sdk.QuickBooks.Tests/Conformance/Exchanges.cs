using System.Collections.Concurrent;
using System.Text;
using Integrations.Sdk.Testing.Conformance;

namespace Integrations.Sdk.QuickBooks.Tests.Conformance;

/// <summary>Builds <see cref="ConformanceExchange"/>s by hand, and records the ones an HTTP client makes.</summary>
internal static class Exchanges
{
    public const string Api = "/v3/company/4620816365178230";

    public static ConformanceExchange Request(string method, string pathAndQuery, string? json = null, string contentType = "application/json")
    {
        var at = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return new ConformanceExchange("quickbooks", method, at < 0 ? pathAndQuery : pathAndQuery[..at], at < 0 ? string.Empty : pathAndQuery[(at + 1)..],
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), json is null ? null : contentType,
            json is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(json), null, null, ReadOnlyMemory<byte>.Empty, false);
    }

    public static ConformanceExchange Response(string method, string pathAndQuery, int status, string json) =>
        Request(method, pathAndQuery) with { Status = status, ResponseContentType = "application/json", ResponseBody = Encoding.UTF8.GetBytes(json) };

    /// <summary>Every violation of the exchanges, both sides, as lines (empty when all conform).</summary>
    public static List<string> Check(IPlatformSpec spec, IEnumerable<ConformanceExchange> exchanges) =>
        [.. exchanges.SelectMany(e => spec.CheckRequest(e).Concat(e.Status is null || e.Injected ? [] : spec.CheckResponse(e))).Select(v => v.ToString())];
}

/// <summary>Records every request and answer that passes through it, as a <see cref="ConformanceExchange"/>.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public RecordingHandler(HttpMessageHandler? inner = null)
    {
        if (inner is not null)
        {
            InnerHandler = inner;
        }
    }

    public ConcurrentQueue<ConformanceExchange> Exchanges { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAndRecordAsync(request, r => base.SendAsync(r, cancellationToken), Exchanges.Enqueue, cancellationToken);

    /// <summary>Sends <paramref name="request"/> through <paramref name="send"/> and hands the exchange to <paramref name="record"/>.</summary>
    public static async Task<HttpResponseMessage> SendAndRecordAsync(
        HttpRequestMessage request, Func<HttpRequestMessage, Task<HttpResponseMessage>> send, Action<ConformanceExchange> record, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        var response = await send(request);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var uri = request.RequestUri!;
        record(new ConformanceExchange("quickbooks", request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers,
            request.Content?.Headers.ContentType?.MediaType, body, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, answer, false));
        return response;
    }
}
