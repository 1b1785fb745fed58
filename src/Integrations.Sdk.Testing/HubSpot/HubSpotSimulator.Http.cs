using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>The HTTP side: routing, fault injection, bearer check, throttle, the CRM endpoints.</summary>
public sealed partial class HubSpotSimulator
{
    private async Task<IResult> SearchAsync(HttpContext context)
    {
        var type = Type(context);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, type + ".search", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return NotFound($"Unknown object type {type}");
            }

            if (invalid is not null || body is not JsonObject request)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected an object"}");
            }

            var limit = request["limit"] is JsonValue l && l.TryGetValue<int>(out var n) ? n : 10;
            if (limit is < 1 or > 200)
            {
                return Validation($"limit must be between 1 and 200, got {limit}");
            }

            var offset = 0;
            if (Str(request["after"]) is { Length: > 0 } after && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return Validation($"after '{after}' is not a paging cursor of this search");
            }

            var groups = request["filterGroups"] as JsonArray ?? [];
            var now = Time.GetUtcNow();
            IEnumerable<SimObject> found = _objects[type].Where(o => o.SearchableAt <= now && (groups.Count == 0 || groups.OfType<JsonObject>().Any(g =>
                (g["filters"] as JsonArray ?? []).OfType<JsonObject>().All(f => Matches(type, o, f)))));
            if (request["sorts"] is JsonArray { Count: > 0 } sorts && sorts[0] is JsonObject sort && Str(sort["propertyName"]) is { } by)
            {
                var descending = string.Equals(Str(sort["direction"]), "DESCENDING", StringComparison.OrdinalIgnoreCase);
                var comparer = Comparer<string?>.Create(Compare);
                found = descending ? found.OrderByDescending(o => Value(type, o, by), comparer) : found.OrderBy(o => Value(type, o, by), comparer);
            }

            var all = found.ToList();
            return Page(all, offset, limit, includeTotal: true);
        }).ConfigureAwait(false);
    }

    private async Task<IResult> UpsertAsync(HttpContext context)
    {
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, "contacts.upsert", () =>
        {
            if (invalid is not null || body is not JsonObject request || request["inputs"] is not JsonArray inputs || inputs.Count == 0)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected {\"inputs\":[...]} with at least one input"}");
            }

            var results = new JsonArray();
            foreach (var input in inputs.OfType<JsonObject>())
            {
                var idProperty = Str(input["idProperty"]);
                var id = Str(input["id"]);
                if (!string.Equals(idProperty, "email", StringComparison.Ordinal))
                {
                    return Validation($"idProperty '{idProperty}' is not a unique property of contacts; use email");
                }

                if (string.IsNullOrWhiteSpace(id))
                {
                    return Validation("id is required with idProperty email");
                }

                var properties = Properties(input["properties"]);
                if (properties.TryGetValue("email", out var email) && email is not null && !string.Equals(email.Trim(), id.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return Validation($"the email property '{email}' differs from the id '{id}'");
                }

                properties["email"] = id.Trim();
                var existing = FindByEmail(id);
                if (existing is null)
                {
                    results.Add(Create("contacts", properties, []).ToJson(isNew: true));
                }
                else
                {
                    Update(existing, properties);
                    results.Add(existing.ToJson(isNew: false));
                }
            }

            var now = Iso(Time.GetUtcNow());
            return new Answer(200, new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = now, ["completedAt"] = now });
        }).ConfigureAwait(false);
    }

    private async Task<IResult> CreateAsync(HttpContext context)
    {
        var type = Type(context);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, type + ".create", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return NotFound($"Unknown object type {type}");
            }

            if (invalid is not null || body is not JsonObject request)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected an object"}");
            }

            var properties = Properties(request["properties"]);
            var contacts = new List<string>();
            foreach (var association in (request["associations"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var to = Str(association["to"]?["id"]);
                var types = (association["types"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var isContact = types.Any(t => Str(t["associationCategory"]) == "HUBSPOT_DEFINED" && Str(t["associationTypeId"]) == "204");
                if (type != "tasks" || !isContact)
                {
                    return Validation("the simulator only serves task-to-contact associations (HUBSPOT_DEFINED 204)");
                }

                if (to is null || !_objects["contacts"].Exists(c => c.Id == to))
                {
                    return Validation($"association target contact {to} does not exist");
                }

                contacts.Add(to);
            }

            switch (type)
            {
                case "contacts":
                    if (properties.GetValueOrDefault("email") is { Length: > 0 } email && FindByEmail(email) is { } taken)
                    {
                        return Error(409, "CONFLICT", $"Contact already exists. Existing ID: {taken.Id}");
                    }

                    break;
                case "tasks" when string.IsNullOrWhiteSpace(properties.GetValueOrDefault("hs_timestamp")):
                    return Validation("Property values were not valid: hs_timestamp is required");
            }

            return new Answer(201, Create(type, properties, contacts).ToJson());
        }).ConfigureAwait(false);
    }

    private Task<IResult> ListAsync(HttpContext context)
    {
        var type = Type(context);
        return ServeAsync(context, type + ".list", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return NotFound($"Unknown object type {type}");
            }

            var query = context.Request.Query;
            var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10;
            if (limit is < 1 or > 100)
            {
                return Validation($"limit must be between 1 and 100, got {limit}");
            }

            var offset = 0;
            if (query["after"].ToString() is { Length: > 0 } after && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return Validation($"after '{after}' is not a paging cursor of this list");
            }

            return Page(_objects[type], offset, limit, includeTotal: false);
        });
    }

    private Task<IResult> GetAsync(HttpContext context)
    {
        var type = Type(context);
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        return ServeAsync(context, type + ".get", () =>
            _objects.TryGetValue(type, out var list) && list.Find(o => o.Id == id) is { } found
                ? new Answer(200, found.ToJson())
                : NotFound($"Object not found. objectId are usually numeric. ({type} {id})"));
    }

    private async Task<IResult> PatchAsync(HttpContext context)
    {
        var type = Type(context);
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, type + ".update", () =>
        {
            if (!_objects.TryGetValue(type, out var list) || list.Find(o => o.Id == id) is not { } target)
            {
                return NotFound($"Object not found. objectId are usually numeric. ({type} {id})");
            }

            if (invalid is not null || body is not JsonObject request || request["properties"] is not JsonObject)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected {\"properties\":{...}}"}");
            }

            var properties = Properties(request["properties"]);
            if (type == "contacts" && properties.GetValueOrDefault("email") is { Length: > 0 } email && FindByEmail(email) is { } other && other.Id != id)
            {
                return Error(409, "CONFLICT", $"A contact with the email '{email}' already exists. Existing ID: {other.Id}");
            }

            Update(target, properties);
            return new Answer(200, target.ToJson());
        }).ConfigureAwait(false);
    }

    private Task<IResult> ServeAsync(HttpContext context, string endpoint, Func<Answer> apply)
    {
        Interlocked.Increment(ref _requests);
        var correlationId = Guid.NewGuid().ToString();
        context.Response.Headers["X-HubSpot-Correlation-Id"] = correlationId;
        return WithFaultsAsync(context, endpoint, () => Handle(context, correlationId, apply));
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) =>
        Write(context, context.Response.Headers["X-HubSpot-Correlation-Id"].ToString(), status == StatusCodes.Status429TooManyRequests
            ? Error(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit. (injected)")
            : Error(status, "INTERNAL_ERROR", "internal error (injected)"));

    private IResult Handle(HttpContext context, string correlationId, Func<Answer> apply)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!string.Equals(authorization, "Bearer " + AccessToken, StringComparison.Ordinal))
        {
            return Write(context, correlationId, Error(401, "INVALID_AUTHENTICATION",
                string.IsNullOrEmpty(authorization)
                    ? "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
                    : "Authentication credentials are invalid or expired."));
        }

        var (admitted, remaining, retryAfter) = Admit();
        if (RequestsPerWindow >= 1)
        {
            context.Response.Headers["X-HubSpot-RateLimit-Max"] = RequestsPerWindow.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = ((long)Window.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        if (!admitted)
        {
            Interlocked.Increment(ref _throttled);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            var throttled = Error(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.");
            throttled.Body["errorType"] = "RATE_LIMIT";
            throttled.Body["policyName"] = "TEN_SECONDLY_ROLLING";
            return Write(context, correlationId, throttled);
        }

        lock (Gate)
        {
            return Write(context, correlationId, apply());
        }
    }

    /// <summary>Takes a permit from the token bucket on the simulator's clock, or says how long until one is back.</summary>
    private (bool Admitted, int Remaining, TimeSpan RetryAfter) Admit()
    {
        if (RequestsPerWindow < 1)
        {
            return (true, 0, TimeSpan.Zero);
        }

        lock (Gate)
        {
            var now = Time.GetUtcNow();
            if (now > _lastRefill)
            {
                _tokens = Math.Min(RequestsPerWindow, _tokens + ((now - _lastRefill).Ticks * (double)RequestsPerWindow / Window.Ticks));
                _lastRefill = now;
            }

            _tokens = Math.Min(_tokens, RequestsPerWindow);
            if (_tokens < 1)
            {
                var wait = TimeSpan.FromTicks((long)((1 - _tokens) * Window.Ticks / RequestsPerWindow));
                return (false, 0, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds))));
            }

            _tokens--;
            return (true, (int)Math.Floor(_tokens), TimeSpan.Zero);
        }
    }

    private static IResult Write(HttpContext context, string correlationId, Answer answer)
    {
        if (answer.Body["category"] is not null)
        {
            answer.Body["correlationId"] = correlationId;
        }

        return Json(answer.Status, answer.Body);
    }

    private Answer Page(List<SimObject> all, int offset, int limit, bool includeTotal)
    {
        var results = new JsonArray([.. all.Skip(offset).Take(limit).Select(o => (JsonNode)o.ToJson())]);
        var page = new JsonObject();
        if (includeTotal)
        {
            page["total"] = all.Count;
        }

        page["results"] = results;
        if (offset + limit < all.Count)
        {
            var next = (offset + limit).ToString(CultureInfo.InvariantCulture);
            page["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next, ["link"] = $"?after={next}" } };
        }

        return new Answer(200, page);
    }

    private static bool Matches(string type, SimObject o, JsonObject filter)
    {
        var property = Str(filter["propertyName"]) ?? string.Empty;
        var op = Str(filter["operator"]) ?? "EQ";
        var expected = Str(filter["value"]);
        var values = (filter["values"] as JsonArray ?? []).Select(Str).ToList();
        if (type == "tasks" && property == "associations.contact")
        {
            return op switch
            {
                "EQ" => o.ContactIds.Contains(expected ?? string.Empty),
                "IN" => o.ContactIds.Any(values.Contains),
                "NEQ" => !o.ContactIds.Contains(expected ?? string.Empty),
                _ => false,
            };
        }

        var actual = Value(type, o, property);
        return op switch
        {
            "EQ" => actual is not null && Compare(actual, expected) == 0,
            "NEQ" => actual is null || Compare(actual, expected) != 0,
            "GT" => actual is not null && Compare(actual, expected) > 0,
            "GTE" => actual is not null && Compare(actual, expected) >= 0,
            "LT" => actual is not null && Compare(actual, expected) < 0,
            "LTE" => actual is not null && Compare(actual, expected) <= 0,
            "IN" => actual is not null && values.Any(v => Compare(actual, v) == 0),
            "HAS_PROPERTY" => !string.IsNullOrEmpty(actual),
            "NOT_HAS_PROPERTY" => string.IsNullOrEmpty(actual),
            _ => false,
        };
    }

    private static string? Value(string type, SimObject o, string property) =>
        property == "hs_lastmodifieddate" && type == "contacts" ? o.Properties.GetValueOrDefault("lastmodifieddate") : o.Properties.GetValueOrDefault(property);

    /// <summary>Compares as instants when either side is a date (epoch milliseconds on the other), else as numbers, else as text ignoring case.</summary>
    private static int Compare(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }

        var leftDate = AsDate(left);
        var rightDate = AsDate(right);
        var leftNumber = decimal.TryParse(left, NumberStyles.Number, CultureInfo.InvariantCulture, out var ln);
        var rightNumber = decimal.TryParse(right, NumberStyles.Number, CultureInfo.InvariantCulture, out var rn);
        if ((leftDate is not null || rightDate is not null) && (leftDate is not null || leftNumber) && (rightDate is not null || rightNumber))
        {
            var l = leftDate?.ToUnixTimeMilliseconds() ?? (long)ln;
            var r = rightDate?.ToUnixTimeMilliseconds() ?? (long)rn;
            return l.CompareTo(r);
        }

        return leftNumber && rightNumber ? ln.CompareTo(rn) : string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
    }

    private static DateTimeOffset? AsDate(string text) =>
        text.Length >= 10 && text[4] == '-' && text[7] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;

    private static Dictionary<string, string?> Properties(JsonNode? node)
    {
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj)
            {
                properties[name] = Str(value);
            }
        }

        return properties;
    }

    private static string Type(HttpContext context) => context.Request.RouteValues["type"] as string ?? string.Empty;

    private static string? Str(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : null;

    private static Answer Validation(string message) => Error(400, "VALIDATION_ERROR", message);

    private static Answer NotFound(string message) => Error(404, "OBJECT_NOT_FOUND", message);

    private static Answer Error(int status, string category, string message) =>
        new(status, new JsonObject { ["status"] = "error", ["message"] = message, ["correlationId"] = null, ["category"] = category });

    private sealed record Answer(int Status, JsonObject Body);
}
