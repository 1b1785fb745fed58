using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>The REST API under <c>/services/data/vNN.0/</c>: routing, session and limit checks, the resources.</summary>
public sealed partial class SalesforceSimulator
{
    private const int DefaultBatchSize = 2000;
    private static readonly TimeSpan LocatorLifetime = TimeSpan.FromMinutes(15);
    private readonly Dictionary<string, Locator> _locators = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _apiCalls = new();
    private int _requests;

    /// <summary>REST API calls received (refused ones included; the token endpoint not).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>API calls counted against <see cref="DailyApiLimit"/> in the last 24 hours (a composite request counts once).</summary>
    public int ApiUsage => Locked(() =>
    {
        Prune();
        return _apiCalls.Count;
    });

    [GeneratedRegex(@"^v([0-9]{2})\.0$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSegment();

    private async Task<IResult> RestAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var rest = context.Request.RouteValues["rest"] as string ?? string.Empty;
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method.ToUpperInvariant();
        JsonNode? body = null;
        string? invalid = null;
        if (method is "POST" or "PATCH" && (context.Request.ContentLength ?? 1) > 0)
        {
            (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        }

        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var batchSize = BatchSize(context.Request.Headers["Sforce-Query-Options"].ToString());
        var token = Bearer(context.Request.Headers.Authorization.ToString());
        return await WithFaultsAsync(context, EndpointName(method, segments), () =>
        {
            Answer answer;
            lock (Gate)
            {
                answer = Authorize(token, out var userId) ?? Count() ?? Dispatch(new Call(method, segments, query, body, invalid, batchSize, userId));
                context.Response.Headers["Sforce-Limit-Info"] = LimitInfo();
            }

            return Write(context, answer);
        }).ConfigureAwait(false);
    }

    /// <summary>The fault-injection name of a REST call (see the class remarks).</summary>
    private static string EndpointName(string method, string[] segments)
    {
        var resource = segments.Length > 1 ? segments[1] : string.Empty;
        return (resource, segments.Length, method) switch
        {
            ("query" or "queryAll", 2, _) => "query",
            ("query" or "queryAll", _, _) => "query.more",
            ("sobjects", 3, "POST") => "sobject.create",
            ("sobjects", 4, "GET") or ("sobjects", 5, "GET") => "sobject.get",
            ("sobjects", 4, "PATCH") => "sobject.update",
            ("sobjects", 4, "DELETE") => "sobject.delete",
            ("sobjects", 5, "PATCH") => "sobject.upsert",
            ("composite", 2, _) => "composite",
            ("composite", _, _) => "composite.sobjects",
            ("limits", _, _) => "limits",
            _ => "other",
        };
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers["Sforce-Limit-Info"] = Locked(LimitInfo);
        return Json(status, new JsonArray(new SfError(status == 429 ? "REQUEST_LIMIT_EXCEEDED" : "SERVER_UNAVAILABLE",
            status == 429 ? "ConcurrentPerOrgLongTxn Limit exceeded. (injected)" : "Service unavailable (injected)", []).ToJson()));
    }

    private IResult UnknownRoute(HttpContext context) =>
        Json(404, new JsonArray(new SfError("NOT_FOUND", "The requested resource does not exist", []).ToJson()));

    private static IResult Write(HttpContext context, Answer answer)
    {
        foreach (var (name, value) in answer.Headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        return answer.Body is null ? Results.StatusCode(answer.Status) : Json(answer.Status, answer.Body);
    }

    private static string? Bearer(string authorization)
    {
        foreach (var scheme in new[] { "Bearer ", "OAuth " })
        {
            if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return authorization[scheme.Length..].Trim();
            }
        }

        return null;
    }

    /// <summary>The <c>Sforce-Query-Options: batchSize=N</c> header: 200 to 2,000, 2,000 by default (a value outside is brought within).</summary>
    private static int BatchSize(string header)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && string.Equals(pair[0], "batchSize", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Math.Clamp(size, 200, 2000);
            }
        }

        return DefaultBatchSize;
    }

    /// <summary>Counts the call against the daily limit, or refuses it once the limit is spent (403 <c>REQUEST_LIMIT_EXCEEDED</c>).</summary>
    private Answer? Count()
    {
        Prune();
        if (DailyApiLimit >= 1 && _apiCalls.Count >= DailyApiLimit)
        {
            return Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }

        _apiCalls.Enqueue(Time.GetUtcNow());
        return null;
    }

    private void Prune()
    {
        var since = Time.GetUtcNow() - TimeSpan.FromHours(24);
        while (_apiCalls.Count > 0 && _apiCalls.Peek() <= since)
        {
            _apiCalls.Dequeue();
        }
    }

    private string LimitInfo() => $"api-usage={_apiCalls.Count}/{(DailyApiLimit >= 1 ? DailyApiLimit : 5_000_000)}";

    /// <summary>Serves one REST call (an HTTP request or a composite subrequest): <c>segments[0]</c> is the version.</summary>
    private Answer Dispatch(Call call)
    {
        var segments = call.Segments;
        if (segments.Length == 0)
        {
            return call.Method == "GET" ? new Answer(200, Versions()) : NotFound();
        }

        var match = VersionSegment().Match(segments[0]);
        if (!match.Success || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is < 20 or > 67)
        {
            return NotFound();
        }

        var version = segments[0][1..];
        if (call.InvalidBody is not null || (call.Method is "POST" or "PATCH" && call.Body is not null and not JsonObject))
        {
            return Error(400, "JSON_PARSER_ERROR", $"The request body is not a JSON object: {call.InvalidBody ?? call.Body!.GetValueKind().ToString()}");
        }

        var body = call.Body as JsonObject;
        var resource = segments.Length > 1 ? segments[1] : string.Empty;
        return (resource, segments.Length, call.Method) switch
        {
            ("", 1, "GET") => new Answer(200, new JsonObject
            {
                ["sobjects"] = $"/services/data/v{version}/sobjects",
                ["query"] = $"/services/data/v{version}/query",
                ["queryAll"] = $"/services/data/v{version}/queryAll",
                ["composite"] = $"/services/data/v{version}/composite",
                ["limits"] = $"/services/data/v{version}/limits",
            }),
            ("limits", 2, "GET") => new Answer(200, new JsonObject
            {
                ["DailyApiRequests"] = new JsonObject { ["Max"] = DailyApiLimit, ["Remaining"] = Math.Max(0, DailyApiLimit - _apiCalls.Count) },
            }),
            ("query" or "queryAll", 2, "GET") => Query(call, version, includeDeleted: resource == "queryAll"),
            ("query" or "queryAll", 3, "GET") => MoreRows(segments[2]),
            ("sobjects", 3, "POST") => Create(segments[2], body, version, call.UserId),
            ("sobjects", 4, "GET") => Get(segments[2], segments[3], version, call.Query.GetValueOrDefault("fields")),
            ("sobjects", 4, "PATCH") => Update(segments[2], segments[3], body, call.UserId),
            ("sobjects", 4, "DELETE") => Delete(segments[2], segments[3], call.UserId),
            ("sobjects", 5, "GET") => GetByExternalId(segments[2], segments[3], segments[4], version),
            ("sobjects", 5, "PATCH") => Upsert(segments[2], segments[3], segments[4], body, version, call.UserId),
            ("composite", 3, "POST" or "PATCH") when segments[2] == "sobjects" => Collection(call.Method, body, call.UserId),
            ("composite", 2, "POST") => Composite(body, version, call),
            _ => NotFound(),
        };
    }

    private static JsonArray Versions() =>
        new([.. Enumerable.Range(20, 48).Select(v => (JsonNode)new JsonObject
        {
            ["label"] = "Simulated",
            ["url"] = $"/services/data/v{v}.0",
            ["version"] = $"{v}.0",
        })]);

    private Answer Query(Call call, string version, bool includeDeleted)
    {
        if (!call.Query.TryGetValue("q", out var text) || string.IsNullOrWhiteSpace(text))
        {
            return Error(400, "MALFORMED_QUERY", "A query string has to be specified");
        }

        SoqlQuery parsed;
        try
        {
            parsed = Soql.Parse(text, SalesforceSchema.Objects);
        }
        catch (SoqlException ex)
        {
            return Error(400, ex.ErrorCode, ex.Message);
        }

        var rows = Execute(parsed, includeDeleted, version);
        if (rows.Count <= call.BatchSize)
        {
            return new Answer(200, Page(rows, rows.Count, null));
        }

        var locator = NewId("01g");
        _locators[locator] = new Locator(rows, call.BatchSize, version, Time.GetUtcNow());
        return new Answer(200, Page(rows.Take(call.BatchSize), rows.Count, $"/services/data/v{version}/query/{locator}-{call.BatchSize}"));
    }

    /// <summary>The next batch of a query: <c>query/{locator}-{offset}</c>, served again as often as asked while the locator lives (15 minutes after its last use).</summary>
    private Answer MoreRows(string segment)
    {
        var dash = segment.LastIndexOf('-');
        var now = Time.GetUtcNow();
        foreach (var stale in _locators.Where(l => now - l.Value.LastUsed > LocatorLifetime).Select(l => l.Key).ToList())
        {
            _locators.Remove(stale);
        }

        if (dash <= 0 || !_locators.TryGetValue(segment[..dash], out var locator)
            || !int.TryParse(segment[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset >= locator.Rows.Count)
        {
            return Error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }

        _locators[segment[..dash]] = locator with { LastUsed = now };
        var next = offset + locator.BatchSize;
        return new Answer(200, Page(locator.Rows.Skip(offset).Take(locator.BatchSize), locator.Rows.Count,
            next < locator.Rows.Count ? $"/services/data/v{locator.Version}/query/{segment[..dash]}-{next}" : null));
    }

    private static JsonObject Page(IEnumerable<JsonObject> rows, int total, string? next)
    {
        var page = new JsonObject { ["totalSize"] = total, ["done"] = next is null };
        if (next is not null)
        {
            page["nextRecordsUrl"] = next;
        }

        page["records"] = new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())]);
        return page;
    }

    private Answer Create(string type, JsonObject? body, string version, string userId)
    {
        if (!SalesforceSchema.Objects.TryGetValue(type, out var sobject))
        {
            return NotFound();
        }

        var (record, error) = CreateRecord(sobject, body ?? [], userId);
        return error is not null
            ? new Answer(400, new JsonArray(error.ToJson()))
            : new Answer(201, Saved(record!.Id, created: null), new() { ["Location"] = $"/services/data/v{version}/sobjects/{record.Type}/{record.Id}" });
    }

    private (SfRecord? Record, SfError? Error) CreateRecord(SfObject sobject, JsonObject body, string userId)
    {
        if (!sobject.Createable)
        {
            return (null, new SfError("INVALID_TYPE_FOR_OPERATION", $"entity type {sobject.Name} does not support insert", []));
        }

        if (body.ContainsKey("Id") || body.ContainsKey("id"))
        {
            return (null, new SfError("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"]));
        }

        if (Validate(sobject, body, create: true, out var fields) is { } error)
        {
            return (null, error);
        }

        var record = Insert(sobject.Name, fields, userId);
        if (record.Type == "Opportunity" && OutboundMessageEndpoint is not null)
        {
            QueueNotification(record);
        }

        return (record, null);
    }

    private Answer Get(string type, string id, string version, string? fields)
    {
        if (!SalesforceSchema.Objects.TryGetValue(type, out var sobject))
        {
            return NotFound();
        }

        var record = Find(id);
        if (record is null || record.Type != sobject.Name)
        {
            return NotFound();
        }

        if (record.IsDeleted)
        {
            return Error(404, "ENTITY_IS_DELETED", "entity is deleted");
        }

        List<string>? only = null;
        if (!string.IsNullOrWhiteSpace(fields))
        {
            only = [.. fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
            if (only.Find(f => sobject.Field(f) is null) is { } unknown)
            {
                return Error(400, "INVALID_FIELD", $"No such column '{unknown}' on sobject of type {sobject.Name}");
            }
        }

        return new Answer(200, Full(record, version, only));
    }

    private Answer Update(string type, string id, JsonObject? body, string userId)
    {
        if (!SalesforceSchema.Objects.TryGetValue(type, out var sobject))
        {
            return NotFound();
        }

        var record = Find(id);
        if (record is null || record.Type != sobject.Name)
        {
            return NotFound();
        }

        return UpdateRecord(record, body ?? [], userId) is { } error
            ? new Answer(error.Code == "ENTITY_IS_DELETED" ? 404 : 400, new JsonArray(error.ToJson()))
            : new Answer(204, null);
    }

    private SfError? UpdateRecord(SfRecord record, JsonObject body, string userId)
    {
        if (record.IsDeleted)
        {
            return new SfError("ENTITY_IS_DELETED", "entity is deleted", []);
        }

        var sobject = SalesforceSchema.Objects[record.Type];
        if (!sobject.Createable)
        {
            return new SfError("INVALID_TYPE_FOR_OPERATION", $"entity type {sobject.Name} does not support update", []);
        }

        var rest = new JsonObject(body.Where(p => !string.Equals(p.Key, "Id", StringComparison.OrdinalIgnoreCase)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        if (Validate(sobject, rest, create: false, out var fields) is { } error)
        {
            return error;
        }

        Change(record, fields, userId);
        return null;
    }

    private Answer Delete(string type, string id, string userId)
    {
        if (!SalesforceSchema.Objects.TryGetValue(type, out var sobject))
        {
            return NotFound();
        }

        var record = Find(id);
        if (record is null || record.Type != sobject.Name)
        {
            return NotFound();
        }

        if (DeleteRecord(record, userId) is { } error)
        {
            return new Answer(error.Code == "ENTITY_IS_DELETED" ? 404 : 400, new JsonArray(error.ToJson()));
        }

        return new Answer(204, null);
    }

    /// <summary>Moves a record to the recycle bin: <c>IsDeleted</c> true, found by <c>queryAll</c> only.</summary>
    private SfError? DeleteRecord(SfRecord record, string userId)
    {
        if (record.IsDeleted)
        {
            return new SfError("ENTITY_IS_DELETED", "entity is deleted", []);
        }

        if (!SalesforceSchema.Objects[record.Type].Createable)
        {
            return new SfError("INVALID_TYPE_FOR_OPERATION", $"entity type {record.Type} does not support delete", []);
        }

        record.Fields["IsDeleted"] = true;
        var stamp = Stamp(Time.GetUtcNow());
        record.Fields["LastModifiedDate"] = stamp;
        record.Fields["LastModifiedById"] = userId;
        record.Fields["SystemModstamp"] = stamp;
        return null;
    }

    private List<SfRecord>? MatchExternal(string type, string fieldName, string value, out SfObject? sobject, out SfField? field)
    {
        field = null;
        if (!SalesforceSchema.Objects.TryGetValue(type, out sobject))
        {
            return null;
        }

        field = sobject.Field(fieldName);
        if (field is null || !(field.ExternalId || field.Type == SfType.Id))
        {
            return null;
        }

        if (field.Type == SfType.Id)
        {
            return Find(value) is { } byId && byId.Type == sobject.Name && !byId.IsDeleted ? [byId] : [];
        }

        var name = field.Name;
        return _records[sobject.Name].Where(r => !r.IsDeleted && string.Equals(Text(r, name), value, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private Answer GetByExternalId(string type, string fieldName, string value, string version)
    {
        var matches = MatchExternal(type, fieldName, value, out _, out _);
        return matches switch
        {
            null => Error(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {fieldName}"),
            [] => NotFound(),
            [var one] => new Answer(200, Full(one, version)),
            _ => new Answer(300, new JsonArray([.. matches.Select(m => (JsonNode)$"/services/data/v{version}/sobjects/{m.Type}/{m.Id}")])),
        };
    }

    /// <summary>
    /// Upsert by external id (<c>PATCH sobjects/{Object}/{Field}/{value}</c>): no match creates (201, <c>created: true</c>);
    /// one match updates (200 with <c>created: false</c> from API 46.0, 204 before); several matches are a 300 listing them.
    /// </summary>
    private Answer Upsert(string type, string fieldName, string value, JsonObject? body, string version, string userId)
    {
        var matches = MatchExternal(type, fieldName, value, out var sobject, out var field);
        if (matches is null || sobject is null || field is null)
        {
            return sobject is null ? NotFound() : Error(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {fieldName}");
        }

        body ??= [];
        if (body.FirstOrDefault(p => string.Equals(p.Key, field.Name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } given
            && !string.Equals((given.Value as JsonValue)?.ToString(), value, StringComparison.Ordinal))
        {
            return Error(400, "INVALID_FIELD", $"The {field.Name} field in the URL and in the request body differ: {value} and {given.Value?.ToJsonString()}", field.Name);
        }

        switch (matches.Count)
        {
            case 0 when field.Type == SfType.Id:
                return NotFound();
            case 0:
                var create = new JsonObject(body.Where(p => !string.Equals(p.Key, field.Name, StringComparison.OrdinalIgnoreCase)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))
                {
                    [field.Name] = value,
                };
                var (record, error) = CreateRecord(sobject, create, userId);
                return error is not null
                    ? new Answer(400, new JsonArray(error.ToJson()))
                    : new Answer(201, Saved(record!.Id, created: true), new() { ["Location"] = $"/services/data/v{version}/sobjects/{record.Type}/{record.Id}" });
            case 1:
                if (UpdateRecord(matches[0], body, userId) is { } refused)
                {
                    return new Answer(400, new JsonArray(refused.ToJson()));
                }

                return int.Parse(version.Split('.')[0], CultureInfo.InvariantCulture) >= 46 ? new Answer(200, Saved(matches[0].Id, created: false)) : new Answer(204, null);
            default:
                return new Answer(300, new JsonArray([.. matches.Select(m => (JsonNode)$"/services/data/v{version}/sobjects/{m.Type}/{m.Id}")]));
        }
    }

    private static JsonObject Saved(string id, bool? created)
    {
        var saved = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
        if (created is { } c)
        {
            saved["created"] = c;
        }

        return saved;
    }

    /// <summary>
    /// sObject Collections (<c>composite/sobjects</c>): POST creates, PATCH updates, up to 200 records, each with
    /// <c>attributes.type</c>; the answer is one result per record, in order. With <c>allOrNone</c>, one failure rolls
    /// every change back and the other records answer <c>ALL_OR_NONE_OPERATION_ROLLED_BACK</c>.
    /// </summary>
    private Answer Collection(string method, JsonObject? body, string userId)
    {
        if (body?["records"] is not JsonArray records || records.Any(r => r is not JsonObject))
        {
            return Error(400, "INVALID_FIELD", "records: expected an array of sObjects", "records");
        }

        if (records.Count > 200)
        {
            return Error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        var allOrNone = body["allOrNone"] is JsonValue a && a.TryGetValue<bool>(out var flag) && flag;
        var snapshot = allOrNone ? TakeSnapshot() : null;
        var results = new List<(string? Id, SfError? Error)>();
        foreach (var item in records.Cast<JsonObject>())
        {
            var type = item["attributes"]?["type"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
            if (type is null || !SalesforceSchema.Objects.TryGetValue(type, out var sobject))
            {
                results.Add((null, new SfError("INVALID_TYPE", type is null ? "Must specify a type in attributes" : $"sObject type '{type}' is not supported.", [])));
                continue;
            }

            var fields = new JsonObject(item.Where(p => p.Key != "attributes").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
            if (method == "POST")
            {
                var (record, error) = CreateRecord(sobject, fields, userId);
                results.Add((record?.Id, error));
                continue;
            }

            var id = fields.FirstOrDefault(p => string.Equals(p.Key, "Id", StringComparison.OrdinalIgnoreCase)).Value is JsonValue idValue && idValue.TryGetValue<string>(out var s) ? s : null;
            var target = id is null ? null : Find(id);
            if (target is null || target.Type != sobject.Name)
            {
                results.Add((id, new SfError(id is null ? "MISSING_ARGUMENT" : "INVALID_CROSS_REFERENCE_KEY", id is null ? "Id not specified in an update call" : $"invalid cross reference id: {id}", [])));
                continue;
            }

            results.Add((target.Id, UpdateRecord(target, fields, userId)));
        }

        var failed = results.Exists(r => r.Error is not null);
        if (allOrNone && failed)
        {
            RestoreSnapshot(snapshot! with { Counters = new Dictionary<string, long>(_counters, StringComparer.Ordinal) });
        }

        var rolledBack = new SfError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", []);
        return new Answer(200, new JsonArray([.. results.Select(r =>
        {
            var error = r.Error ?? (allOrNone && failed ? rolledBack : null);
            var result = new JsonObject
            {
                ["id"] = error is null || method == "PATCH" ? r.Id : null,
                ["success"] = error is null,
                ["errors"] = error is null ? new JsonArray() : new JsonArray(error.ToJson("statusCode")),
            };
            return (JsonNode)result;
        })]));
    }

    /// <summary>
    /// Composite (<c>composite</c>): up to 25 subrequests run in order, each a REST call of this API; <c>@{ref.path}</c>
    /// in a later subrequest's URL or body takes a value from an earlier answer. With <c>allOrNone</c>, a failure rolls
    /// everything back and the other subrequests answer <c>PROCESSING_HALTED</c>. The whole request counts as one call.
    /// </summary>
    private Answer Composite(JsonObject? body, string version, Call call)
    {
        if (body?["compositeRequest"] is not JsonArray subrequests || subrequests.Count == 0 || subrequests.Any(s => s is not JsonObject))
        {
            return Error(400, "INVALID_FIELD", "compositeRequest: expected an array of subrequests", "compositeRequest");
        }

        if (subrequests.Count > 25)
        {
            return Error(400, "LIMIT_EXCEEDED", "Limit Exceeded: a composite request may have at most 25 subrequests");
        }

        var allOrNone = body["allOrNone"] is JsonValue a && a.TryGetValue<bool>(out var flag) && flag;
        var snapshot = allOrNone ? TakeSnapshot() : null;
        var answers = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var responses = new List<(string Reference, Answer Answer)>();
        var failedAt = -1;
        foreach (var item in subrequests.Cast<JsonObject>())
        {
            var reference = item["referenceId"]?.ToString() ?? string.Empty;
            if (failedAt >= 0 && allOrNone)
            {
                responses.Add((reference, Halted()));
                continue;
            }

            var method = item["method"]?.ToString().ToUpperInvariant() ?? "GET";
            var url = Substitute(item["url"]?.ToString() ?? string.Empty, answers, out var unresolved);
            var subBody = item["body"]?.DeepClone();
            if (unresolved is null && subBody is not null)
            {
                subBody = SubstituteBody(subBody, answers, out unresolved);
            }

            Answer answer;
            if (unresolved is not null)
            {
                answer = new Answer(400, new JsonArray(new SfError("PROCESSING_HALTED", $"Invalid reference specified. No value for {unresolved} found.", []).ToJson()));
            }
            else if (!url.StartsWith("/services/data/", StringComparison.Ordinal))
            {
                answer = Error(400, "INVALID_FIELD", $"The url of subrequest {reference} must start with /services/data/: {url}", "url");
            }
            else
            {
                var split = url.Split('?', 2);
                var query = split.Length == 2 ? QueryHelpers(split[1]) : new Dictionary<string, string>(StringComparer.Ordinal);
                var segments = split[0]["/services/data/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
                answer = Dispatch(call with { Method = method, Segments = segments, Query = query, Body = subBody, InvalidBody = null });
            }

            if (answer.Status >= 400 && failedAt < 0)
            {
                failedAt = responses.Count;
            }

            answers[reference] = answer.Body;
            responses.Add((reference, answer));
        }

        if (allOrNone && failedAt >= 0)
        {
            RestoreSnapshot(snapshot! with { Counters = new Dictionary<string, long>(_counters, StringComparer.Ordinal) });
            for (var i = 0; i < failedAt; i++)
            {
                responses[i] = (responses[i].Reference, Halted());
            }
        }

        return new Answer(200, new JsonObject
        {
            ["compositeResponse"] = new JsonArray([.. responses.Select(r => (JsonNode)new JsonObject
            {
                ["body"] = r.Answer.Body?.DeepClone(),
                ["httpHeaders"] = new JsonObject((r.Answer.Headers ?? []).Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
                ["httpStatusCode"] = r.Answer.Status,
                ["referenceId"] = r.Reference,
            })]),
        });

        static Answer Halted() => new(400, new JsonArray(new SfError("PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.", []).ToJson()));
    }

    private static Dictionary<string, string> QueryHelpers(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            result[Uri.UnescapeDataString(kv[0].Replace('+', ' '))] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty;
        }

        return result;
    }

    [GeneratedRegex(@"@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[[0-9]+\])+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    private static string Substitute(string text, Dictionary<string, JsonNode?> answers, out string? unresolved)
    {
        string? missing = null;
        var result = Reference().Replace(text, m =>
        {
            var value = Lookup(answers, m.Groups[1].Value, m.Groups[2].Value);
            if (value is null)
            {
                missing ??= m.Value[2..^1];
                return m.Value;
            }

            return value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        });
        unresolved = missing;
        return result;
    }

    private static JsonNode? SubstituteBody(JsonNode node, Dictionary<string, JsonNode?> answers, out string? unresolved)
    {
        unresolved = null;
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is { } child)
                    {
                        obj[key] = SubstituteBody(child, answers, out var inner);
                        unresolved ??= inner;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child)
                    {
                        array[i] = SubstituteBody(child.DeepClone(), answers, out var inner);
                        unresolved ??= inner;
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("@{", StringComparison.Ordinal):
                return Substitute(text, answers, out unresolved);
            default:
                return node;
        }
    }

    private static JsonNode? Lookup(Dictionary<string, JsonNode?> answers, string reference, string path)
    {
        if (!answers.TryGetValue(reference, out var current))
        {
            return null;
        }

        foreach (Match step in Regex.Matches(path, @"\.([A-Za-z0-9_]+)|\[([0-9]+)\]", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            current = step.Groups[1].Success
                ? (current as JsonObject)?.FirstOrDefault(p => string.Equals(p.Key, step.Groups[1].Value, StringComparison.Ordinal)).Value
                : current is JsonArray array && int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture) is var index && index < array.Count ? array[index] : null;
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static Answer NotFound() => Error(404, "NOT_FOUND", "The requested resource does not exist");

    private static Answer Error(int status, string code, string message, params string[] fields) =>
        new(status, new JsonArray(new SfError(code, message, fields).ToJson()));

    /// <summary>One REST call: method, path segments after <c>/services/data/</c>, query, body, the batch size asked for, the session's user.</summary>
    private sealed record Call(string Method, string[] Segments, Dictionary<string, string> Query, JsonNode? Body, string? InvalidBody, int BatchSize, string UserId);

    private sealed record Answer(int Status, JsonNode? Body, Dictionary<string, string>? Headers = null);

    /// <summary>A query's remaining rows, kept for <c>nextRecordsUrl</c>.</summary>
    private sealed record Locator(List<JsonObject> Rows, int BatchSize, string Version, DateTimeOffset LastUsed);
}
