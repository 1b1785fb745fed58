using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.MailchimpMarketing;

/// <summary>Batch operations: <c>POST /batches</c>, the status polled, the results archive.</summary>
public sealed partial class MailchimpMarketingSimulator
{
    private static readonly HashSet<string> BatchMethods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE" };
    private readonly Dictionary<string, SimBatch> _batches = new(StringComparer.Ordinal);
    private int _nextBatch;

    private ApiResult CreateBatch(JsonNode? body)
    {
        if (body is not JsonObject input || input["operations"] is null)
        {
            return Invalid(("", "Required fields were not provided: operations"));
        }

        if (input["operations"] is not JsonArray operations)
        {
            return Invalid(("operations", "Schema describes array, " + Kind(input["operations"]!) + " found instead"));
        }

        var errors = new List<(string, string)>();
        var parsed = new List<BatchOperation>();
        for (var i = 0; i < operations.Count; i++)
        {
            var field = $"operations.item:{i}";
            if (operations[i] is not JsonObject op)
            {
                errors.Add((field, "Schema describes object, " + (operations[i] is null ? "NULL" : Kind(operations[i]!)) + " found instead"));
                continue;
            }

            var method = Str(op["method"]);
            var path = Str(op["path"]);
            if (method is null || path is null)
            {
                errors.Add((field, "Required fields were not provided: " + (method is null ? "method" : "path")));
                continue;
            }

            if (!BatchMethods.Contains(method))
            {
                errors.Add((field + ".method", "Data presented is not one of the accepted values: GET, POST, PUT, PATCH, DELETE."));
                continue;
            }

            if (op["body"] is { } opBody && Str(opBody) is null)
            {
                errors.Add((field + ".body", "Schema describes string, " + Kind(opBody) + " found instead"));
                continue;
            }

            if (op["params"] is { } p && p is not JsonObject)
            {
                errors.Add((field + ".params", "Schema describes object, " + Kind(p) + " found instead"));
                continue;
            }

            var query = (op["params"] as JsonObject ?? []).ToDictionary(q => q.Key, q => Str(q.Value) ?? q.Value?.ToJsonString() ?? string.Empty, StringComparer.Ordinal);
            parsed.Add(new BatchOperation(method, path, query, Str(op["body"]) ?? string.Empty, Str(op["operation_id"])));
        }

        if (errors.Count > 0)
        {
            return Invalid([.. errors]);
        }

        var batch = new SimBatch(ShortId("batch|" + _nextBatch++), Time.GetUtcNow(), parsed);
        _batches.Add(batch.Id, batch);
        return Ok(BatchJson(batch));
    }

    private ApiResult GetBatch(string id)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            return NotFound();
        }

        if (batch.Status == "pending")
        {
            batch.Status = "started";
            return Ok(BatchJson(batch));
        }

        // "started": the operations run outside the lock (FinishBatchAsync); "finished": answered as is.
        return batch.Status == "finished" ? Ok(BatchJson(batch)) : null!;
    }

    /// <summary>Runs a started batch's operations against the simulator's own state, then answers it finished.</summary>
    private async Task<ApiResult> FinishBatchAsync(string id, CancellationToken cancellationToken)
    {
        SimBatch? batch;
        lock (Gate)
        {
            batch = _batches.GetValueOrDefault(id);
            if (batch is null || batch.Status != "started" || batch.Running)
            {
                return batch is null ? NotFound() : Ok(BatchJson(batch));
            }

            batch.Running = true;
        }

        var results = new List<BatchResult>();
        foreach (var op in batch.Operations)
        {
            var result = await ExecuteAsync(op.Method, op.Path, op.Params, op.Body, "api", cancellationToken).ConfigureAwait(false);
            results.Add(new BatchResult(result.Status, op.OperationId, result.Body?.ToJsonString() ?? string.Empty));
        }

        lock (Gate)
        {
            batch.Results = results;
            batch.Status = "finished";
            batch.Completed = Time.GetUtcNow();
            return Ok(BatchJson(batch));
        }
    }

    private ApiResult BatchesJson() => Ok(new JsonObject
    {
        ["batches"] = new JsonArray([.. _batches.Values.Select(b => (JsonNode)BatchJson(b))]),
        ["total_items"] = _batches.Count,
        ["_links"] = new JsonArray(),
    });

    private JsonObject BatchJson(SimBatch batch) => new()
    {
        ["id"] = batch.Id,
        ["status"] = batch.Status,
        ["total_operations"] = batch.Operations.Count,
        ["finished_operations"] = batch.Results?.Count ?? 0,
        ["errored_operations"] = batch.Results?.Count(r => r.StatusCode >= 400) ?? 0,
        ["submitted_at"] = Iso(batch.Submitted),
        ["completed_at"] = batch.Completed is { } done ? Iso(done) : string.Empty,
        ["response_body_url"] = batch.Status == "finished" ? ResultsUrl(batch.Id) : string.Empty,
        ["_links"] = new JsonArray(),
    };

    private string ResultsUrl(string id)
    {
        try
        {
            return new Uri(BaseAddress, $"batch-results/{id}.tar.gz").ToString();
        }
        catch (InvalidOperationException)
        {
            return $"/batch-results/{id}.tar.gz";
        }
    }

    private Task<IResult> ServeBatchResultsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var file = (string?)context.Request.RouteValues["file"] ?? string.Empty;
        return WithFaultsAsync(context, "batches.results", () =>
        {
            var id = file.EndsWith(".tar.gz", StringComparison.Ordinal) ? file[..^7] : file;
            var results = Locked(() => _batches.GetValueOrDefault(id) is { Status: "finished" } b ? b.Results : null);
            return results is null
                ? Results.Text("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>", "application/xml", Encoding.UTF8, 404)
                : Results.Bytes(Archive(id, results), "application/x-gzip");
        });
    }

    /// <summary>A gzipped tar of JSON files, each an array of <c>{status_code, operation_id, response}</c>.</summary>
    private byte[] Archive(string id, IReadOnlyList<BatchResult> results)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, id + "/"));
            var size = Math.Max(BatchResultsPerFile, 1);
            for (var part = 0; part * size < results.Count || part == 0; part++)
            {
                var array = new JsonArray([.. results.Skip(part * size).Take(size).Select(r => (JsonNode)new JsonObject
                {
                    ["status_code"] = r.StatusCode,
                    ["operation_id"] = r.OperationId,
                    ["response"] = r.Response,
                })]);
                var bytes = Encoding.UTF8.GetBytes(array.ToJsonString());
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{id}/{part}.json") { DataStream = new MemoryStream(bytes) });
            }
        }

        return output.ToArray();
    }

    private sealed record BatchOperation(string Method, string Path, IReadOnlyDictionary<string, string> Params, string Body, string? OperationId);

    private sealed record BatchResult(int StatusCode, string? OperationId, string Response);

    private sealed class SimBatch(string id, DateTimeOffset submitted, IReadOnlyList<BatchOperation> operations)
    {
        public string Id { get; } = id;

        public DateTimeOffset Submitted { get; } = submitted;

        public IReadOnlyList<BatchOperation> Operations { get; } = operations;

        public string Status { get; set; } = "pending";

        public bool Running { get; set; }

        public DateTimeOffset? Completed { get; set; }

        public IReadOnlyList<BatchResult>? Results { get; set; }
    }
}
