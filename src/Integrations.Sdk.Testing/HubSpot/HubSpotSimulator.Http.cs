using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>The HTTP side: routing, fault injection, bearer check, throttle, the CRM endpoints.</summary>
public sealed partial class HubSpotSimulator
{
    /// <summary>The search operators HubSpot's <c>Filter</c> schema declares.</summary>
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "BETWEEN", "CONTAINS_TOKEN", "EQ", "GT", "GTE", "HAS_PROPERTY", "IN", "LT", "LTE", "NEQ", "NOT_CONTAINS_TOKEN", "NOT_HAS_PROPERTY", "NOT_IN",
    };

    private async Task<IResult> SearchAsync(HttpContext context)
    {
        var type = Type(context);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, type + ".search", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return UnknownType(type);
            }

            if (invalid is not null || body is not JsonObject request)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected an object"}");
            }

            var limit = 10;
            if (request["limit"] is { } limitNode && (limitNode is not JsonValue l || !l.TryGetValue(out limit)))
            {
                return Field("limit", $"limit must be an integer, got {limitNode.ToJsonString()}");
            }

            if (limit is < 1 or > 200)
            {
                return Field("limit", $"limit must be between 1 and 200, got {limit}");
            }

            var offset = 0;
            if (Str(request["after"]) is { Length: > 0 } after && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return Field("after", $"after '{after}' is not a paging cursor of this search");
            }

            var groups = (request["filterGroups"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (groups.Count > 6)
            {
                return Field("filterGroups", $"at most 6 filterGroups are allowed, got {groups.Count}");
            }

            foreach (var filter in groups.SelectMany(g => (g["filters"] as JsonArray ?? []).OfType<JsonObject>()))
            {
                if (InvalidFilter(type, filter) is { } refused)
                {
                    return refused;
                }
            }

            var asked = (request["properties"] as JsonArray ?? []).Select(Str).OfType<string>().ToList();
            var now = Time.GetUtcNow();
            IEnumerable<SimObject> found = _objects[type].Select(o => SearchView(o, now)).OfType<SimObject>().Where(o => groups.Count == 0 || groups.Any(g =>
                (g["filters"] as JsonArray ?? []).OfType<JsonObject>().All(f => Matches(type, o, f))));
            if (request["sorts"] is JsonArray { Count: > 0 } sorts && Sort(sorts[0]) is ({ } by, var descending))
            {
                var comparer = Comparer<string?>.Create(Compare);
                found = descending ? found.OrderByDescending(o => Read(o, by), comparer) : found.OrderBy(o => Read(o, by), comparer);
            }

            if (offset + limit > MaxSearchResults)
            {
                // HubSpot's search pages through at most 10,000 results of one query (CRM search guide, Limitations).
                return Field("after", $"a search can page through at most {MaxSearchResults} results; narrow the filters to read further");
            }

            return Page(found.ToList(), offset, limit, includeTotal: true, asked);
        }).ConfigureAwait(false);
    }

    /// <summary>A sort: <c>{"propertyName", "direction"}</c> as HubSpot's search guide writes it, or a property name (the spec's string form).</summary>
    private static (string? By, bool Descending) Sort(JsonNode? sort) => sort switch
    {
        JsonObject o => (Str(o["propertyName"]), string.Equals(Str(o["direction"]), "DESCENDING", StringComparison.OrdinalIgnoreCase)),
        JsonValue v when Str(v) is { Length: > 0 } name => name.StartsWith('-') ? (name[1..], true) : (name, false),
        _ => (null, false),
    };

    private Answer? InvalidFilter(string type, JsonObject filter)
    {
        var property = Str(filter["propertyName"]);
        var op = Str(filter["operator"]);
        if (string.IsNullOrEmpty(property))
        {
            return Field("filterGroups.filters.propertyName", "a filter needs a propertyName");
        }

        if (op is null || !Operators.Contains(op))
        {
            return Field("filterGroups.filters.operator", $"operator '{op}' is not one of {string.Join(", ", Operators.Order(StringComparer.Ordinal))}");
        }

        if (!(type == "tasks" && property == "associations.contact") && !PropertyExists(type, property))
        {
            return Field("filterGroups.filters.propertyName", $"the property '{property}' does not exist on {type}");
        }

        var hasValues = filter["values"] is JsonArray { Count: > 0 };
        return op switch
        {
            "IN" or "NOT_IN" when !hasValues => Field("filterGroups.filters.values", $"operator {op} needs values"),
            "BETWEEN" when filter["value"] is null || filter["highValue"] is null => Field("filterGroups.filters.highValue", "operator BETWEEN needs value and highValue"),
            "EQ" or "NEQ" or "GT" or "GTE" or "LT" or "LTE" or "CONTAINS_TOKEN" or "NOT_CONTAINS_TOKEN" when filter["value"] is null =>
                Field("filterGroups.filters.value", $"operator {op} needs a value"),
            _ => null,
        };
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

            var items = inputs.OfType<JsonObject>().ToList();
            foreach (var input in items)
            {
                var idProperty = Str(input["idProperty"]);
                if (!string.Equals(idProperty, "email", StringComparison.Ordinal))
                {
                    return Field("inputs.idProperty", $"idProperty '{idProperty}' is not a unique property of contacts; use email");
                }

                if (UnknownProperties("contacts", Properties(input["properties"]).Keys) is { } unknown)
                {
                    return unknown;
                }
            }

            var startedAt = Iso(Time.GetUtcNow());
            var results = new JsonArray();
            var errors = new JsonArray();
            foreach (var input in items)
            {
                var id = Str(input["id"]);
                var properties = Properties(input["properties"]);
                if (string.IsNullOrWhiteSpace(id))
                {
                    errors.Add(InputError("id is required with idProperty email", id));
                    continue;
                }

                if (properties.TryGetValue("email", out var email) && email is not null && !string.Equals(email.Trim(), id.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(InputError($"the email property '{email}' differs from the id '{id}'", id));
                    continue;
                }

                properties["email"] = id.Trim();
                var existing = FindByEmail(id);
                if (existing is null)
                {
                    results.Add(WriteJson(Create("contacts", properties, []), isNew: true));
                }
                else
                {
                    Update(existing, properties);
                    results.Add(WriteJson(existing, isNew: false));
                }
            }

            var answer = new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = startedAt, ["completedAt"] = Iso(Time.GetUtcNow()) };
            if (errors.Count == 0)
            {
                return new Answer(200, answer);
            }

            answer["numErrors"] = errors.Count;
            answer["errors"] = errors;
            return new Answer(207, answer);
        }).ConfigureAwait(false);
    }

    /// <summary>One input's failure in a batch answer (HubSpot's <c>StandardError</c>).</summary>
    private static JsonObject InputError(string message, string? id) => new()
    {
        ["status"] = "error",
        ["category"] = "VALIDATION_ERROR",
        ["message"] = message,
        ["context"] = new JsonObject { ["id"] = new JsonArray(JsonValue.Create(id ?? string.Empty)) },
        ["errors"] = new JsonArray(),
        ["links"] = new JsonObject(),
    };

    private async Task<IResult> CreateAsync(HttpContext context)
    {
        var type = Type(context);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, type + ".create", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return UnknownType(type);
            }

            if (invalid is not null || body is not JsonObject request)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected an object"}");
            }

            if (request["properties"] is not JsonObject)
            {
                return Field("properties", "properties is required: an object of property names and values");
            }

            var properties = Properties(request["properties"]);
            if (UnknownProperties(type, properties.Keys) is { } unknown)
            {
                return unknown;
            }

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

                if (to is null || !_objects["contacts"].Exists(c => c.Id == to && c.ArchivedAt is null))
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

            return new Answer(201, WriteJson(Create(type, properties, contacts)));
        }).ConfigureAwait(false);
    }

    private Task<IResult> ListAsync(HttpContext context)
    {
        var type = Type(context);
        return ServeAsync(context, type + ".list", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return UnknownType(type);
            }

            var query = context.Request.Query;
            var limit = 10;
            if (query["limit"].ToString() is { Length: > 0 } text && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
            {
                return Field("limit", $"limit must be an integer, got '{text}'");
            }

            if (limit is < 1 or > 100)
            {
                return Field("limit", $"limit must be between 1 and 100, got {limit}");
            }

            var offset = 0;
            if (query["after"].ToString() is { Length: > 0 } after && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return Field("after", $"after '{after}' is not a paging cursor of this list");
            }

            if (!TryArchived(context, out var archived, out var refused))
            {
                return refused;
            }

            return Page(_objects[type].Where(o => (o.ArchivedAt is not null) == archived).ToList(), offset, limit, includeTotal: false, AskedProperties(context));
        });
    }

    private Task<IResult> GetAsync(HttpContext context)
    {
        var type = Type(context);
        return ServeAsync(context, type + ".get", () =>
        {
            if (!TryArchived(context, out var archived, out var refused))
            {
                return refused;
            }

            return Find(context, type, archived, out var found) is { } missing ? missing : new Answer(200, ReadJson(found!, AskedProperties(context)));
        });
    }

    private async Task<IResult> PatchAsync(HttpContext context)
    {
        var type = Type(context);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, type + ".update", () =>
        {
            if (Find(context, type, archived: false, out var target) is { } missing)
            {
                return missing;
            }

            if (invalid is not null || body is not JsonObject request || request["properties"] is not JsonObject)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected {\"properties\":{...}}"}");
            }

            var properties = Properties(request["properties"]);
            if (UnknownProperties(type, properties.Keys) is { } unknown)
            {
                return unknown;
            }

            if (type == "contacts" && properties.GetValueOrDefault("email") is { Length: > 0 } email && FindByEmail(email) is { } other && other.Id != target!.Id)
            {
                return Error(409, "CONFLICT", $"A contact with the email '{email}' already exists. Existing ID: {other.Id}");
            }

            Update(target!, properties);
            return new Answer(200, WriteJson(target!));
        }).ConfigureAwait(false);
    }

    private Task<IResult> ArchiveAsync(HttpContext context)
    {
        var type = Type(context);
        return ServeAsync(context, type + ".archive", () =>
        {
            if (!_objects.ContainsKey(type))
            {
                return UnknownType(type);
            }

            var id = context.Request.RouteValues["id"] as string ?? string.Empty;
            if (_objects[type].Find(o => o.Id == id && o.ArchivedAt is null) is { } target)
            {
                target.ArchivedAt = Time.GetUtcNow();
            }

            return new Answer(204, null); // HubSpot answers 204 for an id it does not have, too
        });
    }

    /// <summary>Finds the object a route names: by id, or by a unique property (<c>idProperty=email</c> on contacts).</summary>
    private Answer? Find(HttpContext context, string type, bool archived, out SimObject? found)
    {
        found = null;
        if (!_objects.TryGetValue(type, out var list))
        {
            return UnknownType(type);
        }

        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        var idProperty = context.Request.Query["idProperty"].ToString();
        found = idProperty switch
        {
            "" or "hs_object_id" => list.Find(o => o.Id == id && (o.ArchivedAt is not null) == archived),
            "email" when type == "contacts" => list.Find(o => (o.ArchivedAt is not null) == archived
                && string.Equals(o.Properties.GetValueOrDefault("email"), id.Trim(), StringComparison.OrdinalIgnoreCase)),
            _ => null,
        };
        if (idProperty is not ("" or "hs_object_id") && !(idProperty == "email" && type == "contacts"))
        {
            return Field("idProperty", $"idProperty '{idProperty}' is not a unique property of {type}");
        }

        return found is null ? NotFound($"Object not found.  objectId are usually numeric. ({type} {id})") : null;
    }

    private static bool TryArchived(HttpContext context, out bool archived, out Answer refused)
    {
        refused = null!;
        var text = context.Request.Query["archived"].ToString();
        archived = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
        if (text.Length == 0 || archived || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        refused = Field("archived", $"archived must be true or false, got '{text}'");
        return false;
    }

    /// <summary>A route HubSpot does not have: 404 with HubSpot's error body (no authentication or throttle: nothing is served).</summary>
    private IResult UnknownRoute(HttpContext context)
    {
        var correlationId = Guid.NewGuid().ToString();
        context.Response.Headers["X-HubSpot-Correlation-Id"] = correlationId;
        return Write(context, correlationId, NotFound($"Resource not found: {context.Request.Method} {context.Request.Path}"));
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
            throttled.Body!["errorType"] = "RATE_LIMIT";
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
        if (answer.Body is null)
        {
            return Results.StatusCode(answer.Status);
        }

        if (answer.Body["category"] is not null)
        {
            answer.Body["correlationId"] = correlationId;
        }

        return Json(answer.Status, answer.Body);
    }

    private Answer Page(List<SimObject> all, int offset, int limit, bool includeTotal, IReadOnlyCollection<string>? asked)
    {
        var results = new JsonArray([.. all.Skip(offset).Take(limit).Select(o => (JsonNode)ReadJson(o, asked))]);
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

        var actual = Read(o, property);
        return op switch
        {
            "EQ" => actual is not null && Compare(actual, expected) == 0,
            "NEQ" => actual is null || Compare(actual, expected) != 0,
            "GT" => actual is not null && Compare(actual, expected) > 0,
            "GTE" => actual is not null && Compare(actual, expected) >= 0,
            "LT" => actual is not null && Compare(actual, expected) < 0,
            "LTE" => actual is not null && Compare(actual, expected) <= 0,
            "BETWEEN" => actual is not null && Compare(actual, expected) >= 0 && Compare(actual, Str(filter["highValue"])) <= 0,
            "IN" => actual is not null && values.Any(v => Compare(actual, v) == 0),
            "NOT_IN" => actual is null || !values.Any(v => Compare(actual, v) == 0),
            "HAS_PROPERTY" => !string.IsNullOrEmpty(actual),
            "NOT_HAS_PROPERTY" => string.IsNullOrEmpty(actual),
            "CONTAINS_TOKEN" => actual is not null && ContainsToken(actual, expected ?? string.Empty),
            "NOT_CONTAINS_TOKEN" => actual is null || !ContainsToken(actual, expected ?? string.Empty),
            _ => false,
        };
    }

    /// <summary>A word of <paramref name="text"/> equals <paramref name="token"/> ignoring case; <c>*</c> in the token matches any run of characters.</summary>
    private static bool ContainsToken(string text, string token)
    {
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(token).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
        return text.Split([' ', '\t', '\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries)
            .Append(text)
            .Any(word => System.Text.RegularExpressions.Regex.IsMatch(word, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }

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

    /// <summary>A 400 about one field of the request, named in <c>errors[].in</c> as HubSpot's error detail does.</summary>
    private static Answer Field(string field, string message)
    {
        var answer = Validation(message);
        answer.Body!["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["in"] = field });
        return answer;
    }

    /// <summary>HubSpot's answer to an object type it does not know (the simulator knows contacts, tasks and deals).</summary>
    private static Answer UnknownType(string type) => Validation($"Unable to infer object type from: {type}");

    private static Answer NotFound(string message) => Error(404, "OBJECT_NOT_FOUND", message);

    private static Answer Error(int status, string category, string message) =>
        new(status, new JsonObject { ["status"] = "error", ["message"] = message, ["correlationId"] = null, ["category"] = category });

    private sealed record Answer(int Status, JsonObject? Body);
}
