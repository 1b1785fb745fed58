namespace Integrations.Sdk.Testing.MailchimpMarketing;

/// <summary>The API's operations, shared by HTTP requests and batch operations.</summary>
public sealed partial class MailchimpMarketingSimulator
{
    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal) { "subscribed", "unsubscribed", "cleaned", "pending", "transactional" };

    private static string EndpointName(string method, string path)
    {
        var s = path.Trim('/').Split('/');
        return (s, method) switch
        {
            (["ping"], _) => "ping",
            (["lists", _], _) => "lists.get",
            (["lists", _, "merge-fields"], "POST") => "merge-fields.create",
            (["lists", _, "merge-fields"], _) => "merge-fields.list",
            (["lists", _, "webhooks"], "POST") => "webhooks.create",
            (["lists", _, "webhooks"], _) => "webhooks.list",
            (["lists", _, "members", _], "PUT") => UpsertMemberEndpoint,
            (["lists", _, "members", _], "PATCH") => "members.update",
            (["lists", _, "members", _], _) => "members.get",
            (["lists", _, "members", _, "tags"], "POST") => UpdateTagsEndpoint,
            (["lists", _, "members", _, "tags"], _) => "tags.get",
            (["customer-journeys", "journeys", _, "steps", _, "actions", "trigger"], _) => TriggerJourneyEndpoint,
            (["batches"], "POST") => "batches.create",
            (["batches"], _) => "batches.list",
            (["batches", _], _) => "batches.get",
            _ => "unknown",
        };
    }

    /// <summary>Executes one API call against the state, as an HTTP request or a batch operation does.</summary>
    private async Task<ApiResult> ExecuteAsync(string method, string path, IReadOnlyDictionary<string, string> query, string bodyText, string source, CancellationToken cancellationToken)
    {
        JsonNode? body = null;
        if (!string.IsNullOrWhiteSpace(bodyText) && method is "POST" or "PUT" or "PATCH")
        {
            try
            {
                body = JsonNode.Parse(bodyText);
            }
            catch (JsonException)
            {
                return Problem(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error.");
            }
        }

        var s = path.Trim('/').Split('/');
        ApiResult? Allow(string allowed, Func<ApiResult> run) => allowed.Split(',').Contains(method)
            ? run()
            : new ApiResult(405, Problem(405, "Method Not Allowed", "The requested method and resource are not compatible. See the Allow header for this resource's available methods.").Body, true) { Allow = allowed.Replace(",", ", ", StringComparison.Ordinal) };

        if (s is ["ping"])
        {
            return Allow("GET", () => Ok(new JsonObject { ["health_status"] = "Everything's Chimpy!" }))!;
        }

        if (s is ["lists", var hookListId, "webhooks"] && method == "POST")
        {
            return await CreateWebhookAsync(hookListId, body, cancellationToken).ConfigureAwait(false);
        }

        lock (Gate)
        {
            var result = s switch
            {
                ["lists", var listId] => Allow("GET", () => WithList(listId, ListJson)),
                ["lists", var listId, "merge-fields"] => Allow("GET,POST", () => WithList(listId, list => method == "GET" ? MergeFieldsJson(list) : CreateMergeField(list, body))),
                ["lists", var listId, "webhooks"] => Allow("GET,POST", () => WithList(listId, WebhooksJson)),
                ["lists", var listId, "members", var member] => Allow("GET,PUT,PATCH", () => WithList(listId, list => method switch
                {
                    "PUT" => UpsertMember(list, member, body, query, source),
                    "PATCH" => UpdateMember(list, member, body, query, source),
                    _ => list.Members.TryGetValue(HashFromPath(member), out var m) ? Ok(MemberJson(list, m)) : NotFound(),
                })),
                ["lists", var listId, "members", var member, "tags"] => Allow("GET,POST", () => WithList(listId, list =>
                    !list.Members.TryGetValue(HashFromPath(member), out var m) ? NotFound()
                    : method == "GET" ? Ok(TagsJson(m)) : UpdateTags(list, m, body))),
                ["customer-journeys", "journeys", var journeyId, "steps", var stepId, "actions", "trigger"] => Allow("POST", () => TriggerJourney(journeyId, stepId, body)),
                ["batches"] => Allow("GET,POST", () => method == "GET" ? BatchesJson() : CreateBatch(body)),
                ["batches", var batchId] => Allow("GET", () => GetBatch(batchId)),
                _ => null,
            };
            if (result is not null)
            {
                return result;
            }
        }

        return s is ["batches", var id] && method == "GET"
            ? await FinishBatchAsync(id, cancellationToken).ConfigureAwait(false)
            : Problem(404, "Resource Not Found", "Invalid path");
    }

    private ApiResult WithList(string listId, Func<SimList, ApiResult> run) =>
        _lists.TryGetValue(listId, out var list) ? run(list) : NotFound();

    private static string HashFromPath(string segment) =>
        segment.Contains('@', StringComparison.Ordinal) ? SubscriberHashOf(Uri.UnescapeDataString(segment)) : segment.ToLowerInvariant();

    private ApiResult UpsertMember(SimList list, string pathHash, JsonNode? body, IReadOnlyDictionary<string, string> query, string source)
    {
        if (body is not JsonObject input)
        {
            return Invalid(("", "Required fields were not provided: email_address"));
        }

        var hash = HashFromPath(pathHash);
        list.Members.TryGetValue(hash, out var existing);
        var email = Str(input["email_address"]);
        if (input["email_address"] is { } given && email is null)
        {
            return Invalid(("email_address", "Schema describes string, " + Kind(given) + " found instead"));
        }

        if (existing is null && email is null)
        {
            return Invalid(("", "Required fields were not provided: email_address"));
        }

        if (email is not null && SubscriberHashOf(email) != hash)
        {
            return list.Members.ContainsKey(SubscriberHashOf(email))
                ? Problem(400, "Member Exists", $"{email.Trim()} is already a list member. Use PUT to insert or update list members.")
                : Invalid(("email_address", "The email address does not match the subscriber hash in the URL."));
        }

        if (!ValidStatus(input, "status", out var statusError) || !ValidStatus(input, "status_if_new", out statusError))
        {
            return statusError!;
        }

        if (existing is null && Str(input["status_if_new"]) is null)
        {
            return Invalid(("status_if_new", "This field is required when the member is not yet on the list."));
        }

        if (ValidateMerge(list, existing, input["merge_fields"], SkipMergeValidation(query)) is { } mergeError)
        {
            return mergeError;
        }

        if (existing is null)
        {
            var created = NewMember(list, email!.Trim(), Str(input["status_if_new"])!);
            ApplyFields(created, input);
            list.Members[hash] = created;
            if (created.Status == "subscribed")
            {
                RecordEvent(list, created, "subscribe", source, null);
            }

            return Ok(MemberJson(list, created));
        }

        return Ok(MemberJson(list, Change(list, existing, input, Str(input["status"]), source)));
    }

    private ApiResult UpdateMember(SimList list, string pathHash, JsonNode? body, IReadOnlyDictionary<string, string> query, string source)
    {
        if (!list.Members.TryGetValue(HashFromPath(pathHash), out var member))
        {
            return NotFound();
        }

        var input = body as JsonObject ?? [];
        if (!ValidStatus(input, "status", out var statusError))
        {
            return statusError!;
        }

        if (ValidateMerge(list, member, input["merge_fields"], SkipMergeValidation(query)) is { } mergeError)
        {
            return mergeError;
        }

        if (Str(input["email_address"]) is { } newEmail && SubscriberHashOf(newEmail) != member.Hash)
        {
            var newHash = SubscriberHashOf(newEmail);
            if (list.Members.ContainsKey(newHash))
            {
                return Problem(400, "Member Exists", $"{newEmail.Trim()} is already a list member. Use PUT to insert or update list members.");
            }

            var old = member.Email;
            list.Members.Remove(member.Hash);
            member.Email = newEmail.Trim();
            member.Hash = newHash;
            list.Members[newHash] = member;
            RecordEvent(list, member, "upemail", source, old);
        }

        return Ok(MemberJson(list, Change(list, member, input, Str(input["status"]), source)));
    }

    /// <summary>Applies a PUT or PATCH to an existing member and records the webhook event the change makes.</summary>
    private SimMember Change(SimList list, SimMember member, JsonObject input, string? status, string source)
    {
        var before = member.Status;
        var mergeBefore = member.Merge.ToDictionary(p => p.Key, p => p.Value?.ToJsonString(), StringComparer.Ordinal);
        ApplyFields(member, input);
        if (status is not null && status != before)
        {
            member.Status = status;
            if (status == "subscribed")
            {
                member.TimestampOpt = Time.GetUtcNow();
            }

            var type = status switch { "subscribed" => "subscribe", "unsubscribed" => "unsubscribe", "cleaned" => "cleaned", _ => null };
            if (type is not null)
            {
                RecordEvent(list, member, type, source, null);
            }
        }
        else if (member.Status == "subscribed" && member.Merge.Any(p => !mergeBefore.TryGetValue(p.Key, out var old) || old != p.Value?.ToJsonString()))
        {
            RecordEvent(list, member, "profile", source, null);
        }

        member.LastChanged = Time.GetUtcNow();
        return member;
    }

    private static void ApplyFields(SimMember member, JsonObject input)
    {
        if (input["merge_fields"] is JsonObject merge)
        {
            foreach (var (tag, value) in merge)
            {
                member.Merge[tag] = value?.DeepClone();
            }
        }

        member.EmailType = Str(input["email_type"]) ?? member.EmailType;
        member.Language = Str(input["language"]) ?? member.Language;
        if (input["vip"] is JsonValue vip && vip.TryGetValue<bool>(out var isVip))
        {
            member.Vip = isVip;
        }
    }

    private static bool SkipMergeValidation(IReadOnlyDictionary<string, string> query) =>
        query.TryGetValue("skip_merge_validation", out var skip) && skip.Equals("true", StringComparison.OrdinalIgnoreCase);

    private static bool ValidStatus(JsonObject input, string field, out ApiResult? error)
    {
        error = null;
        if (input[field] is not { } node)
        {
            return true;
        }

        if (Str(node) is not { } value || !Statuses.Contains(value))
        {
            error = Invalid((field, "Data presented is not one of the accepted values: subscribed, unsubscribed, cleaned, pending, transactional."));
            return false;
        }

        return true;
    }

    /// <summary>Checks merge fields against the list's: types, unknown tags, required fields of the resulting member.</summary>
    private static ApiResult? ValidateMerge(SimList list, SimMember? existing, JsonNode? mergeNode, bool skipRequired)
    {
        if (mergeNode is null)
        {
            return skipRequired || existing is not null ? null : RequiredMissing(list, existing, []);
        }

        if (mergeNode is not JsonObject merge)
        {
            return Invalid(("merge_fields", "Schema describes object, " + Kind(mergeNode) + " found instead"));
        }

        var schema = new List<(string, string)>();
        var invalid = new List<(string, string)>();
        foreach (var (tag, value) in merge)
        {
            if (tag == "EMAIL")
            {
                continue;
            }

            var field = list.Fields.FirstOrDefault(f => f.Tag == tag);
            if (field is null)
            {
                invalid.Add((tag, $"Merge field {tag} does not exist on this audience."));
                continue;
            }

            if (value is JsonArray || (value is JsonObject && field.Type != "address") || (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False))
            {
                schema.Add(("merge_fields." + tag, "Data did not match any of the schemas described in anyOf."));
                continue;
            }

            var text = Str(value);
            if (field.Type == "number" && !string.IsNullOrEmpty(text) && !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                invalid.Add((tag, "Please enter a number"));
            }
            else if (field.Type == "address" && value is JsonObject address
                && new[] { "addr1", "city", "state", "zip" }.Any(k => string.IsNullOrWhiteSpace(Str(address[k]))))
            {
                invalid.Add((tag, "Please enter a complete address"));
            }
        }

        if (schema.Count > 0)
        {
            return Invalid([.. schema]);
        }

        if (invalid.Count > 0)
        {
            return Problem(400, "Invalid Resource", "Your merge fields were invalid.", invalid);
        }

        return skipRequired ? null : RequiredMissing(list, existing, merge);
    }

    private static ApiResult? RequiredMissing(SimList list, SimMember? existing, JsonObject merge)
    {
        var missing = list.Fields.Where(f => f.Required)
            .Where(f => string.IsNullOrEmpty(merge.TryGetPropertyValue(f.Tag, out var given) ? Str(given) ?? given?.ToJsonString() : existing?.Merge.GetValueOrDefault(f.Tag) is { } old ? Str(old) ?? old.ToJsonString() : null))
            .Select(f => (f.Tag, "Please enter a value"))
            .ToList();
        return missing.Count == 0 ? null : Problem(400, "Invalid Resource", "Your merge fields were invalid.", missing);
    }

    private ApiResult UpdateTags(SimList list, SimMember member, JsonNode? body)
    {
        if (body is not JsonObject input || input["tags"] is null)
        {
            return Invalid(("", "Required fields were not provided: tags"));
        }

        if (input["tags"] is not JsonArray tags)
        {
            return Invalid(("tags", "Schema describes array, " + Kind(input["tags"]!) + " found instead"));
        }

        var changes = new List<(string Name, bool Active)>();
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] is not JsonObject tag || Str(tag["name"]) is not { Length: > 0 } name)
            {
                return Invalid(($"tags.item:{i}", "Required fields were not provided: name"));
            }

            var status = Str(tag["status"]);
            if (status is not ("active" or "inactive"))
            {
                return Invalid(($"tags.item:{i}.status", "Data presented is not one of the accepted values: active, inactive."));
            }

            changes.Add((name.Trim(), status == "active"));
        }

        var now = Time.GetUtcNow();
        foreach (var (name, active) in changes)
        {
            member.Tags.RemoveAll(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
            if (active)
            {
                if (!list.Tags.TryGetValue(name, out var id))
                {
                    id = _nextTagId++;
                    list.Tags[name] = id;
                }

                member.Tags.Add(new SimTag(id, name, now));
            }
        }

        member.LastChanged = now;
        return new ApiResult(204, null, IsProblem: false);
    }

    private ApiResult TriggerJourney(string journeyId, string stepId, JsonNode? body)
    {
        if (!_journeys.TryGetValue(journeyId, out var journey) || !journey.Steps.TryGetValue(stepId, out var apiTrigger))
        {
            return NotFound();
        }

        if (!apiTrigger)
        {
            return Problem(400, "Bad Request", $"Step {stepId} of journey {journeyId} is not a Customer Journeys API starting point.");
        }

        if (Str((body as JsonObject)?["email_address"]) is not { Length: > 0 } email)
        {
            return Invalid(("", "Required fields were not provided: email_address"));
        }

        var list = _lists[journey.ListId];
        if (!list.Members.TryGetValue(SubscriberHashOf(email), out var member) || member.Status != "subscribed")
        {
            return Problem(400, "Bad Request", $"{email.Trim()} is not a subscribed member of the journey's audience.");
        }

        var now = Time.GetUtcNow();
        var key = email.Trim().ToLowerInvariant();
        var last = _entries.Where(e => e.JourneyId == journeyId && e.Email == key).Select(e => (DateTimeOffset?)e.At).Max();
        if (last is { } at && now < at + JourneyLength)
        {
            return Problem(400, "Bad Request", $"{email.Trim()} is already in this journey.");
        }

        _entries.Add(new JourneyEntry(journeyId, stepId, key, now));
        return new ApiResult(204, null, IsProblem: false);
    }

    private ApiResult CreateMergeField(SimList list, JsonNode? body)
    {
        var input = body as JsonObject ?? [];
        if (Str(input["name"]) is not { Length: > 0 } name || Str(input["type"]) is not { Length: > 0 } type)
        {
            return Invalid(("", "Required fields were not provided: " + (Str(input["name"]) is null ? "name" : "type")));
        }

        var tag = Str(input["tag"])?.ToUpperInvariant() ?? "MMERGE" + (list.Fields.Max(f => f.MergeId) + 1);
        if (list.Fields.Any(f => f.Tag == tag))
        {
            return Problem(400, "Invalid Resource", $"A Merge Field with the tag \"{tag}\" already exists for this list.");
        }

        var field = new SimField(list.Fields.Max(f => f.MergeId) + 1, tag, name, type)
        {
            Required = input["required"] is JsonValue r && r.TryGetValue<bool>(out var required) && required,
        };
        list.Fields.Add(field);
        return Ok(FieldJson(list, field));
    }

    private SimMember NewMember(SimList list, string email, string status)
    {
        var now = Time.GetUtcNow();
        return new SimMember(SubscriberHashOf(email), email, ShortId(list.Id + "|" + email.ToLowerInvariant()), _nextWebId++)
        {
            Status = status,
            TimestampSignup = now,
            TimestampOpt = status == "subscribed" ? now : null,
            LastChanged = now,
        };
    }

    private static ApiResult ListJson(SimList list) => Ok(new JsonObject
    {
        ["id"] = list.Id,
        ["web_id"] = list.WebId,
        ["name"] = list.Name,
        ["permission_reminder"] = "You signed up on our website.",
        ["date_created"] = Iso(list.Created),
        ["list_rating"] = 0,
        ["email_type_option"] = false,
        ["visibility"] = "prv",
        ["double_optin"] = false,
        ["stats"] = new JsonObject
        {
            ["member_count"] = list.Members.Values.Count(m => m.Status == "subscribed"),
            ["unsubscribe_count"] = list.Members.Values.Count(m => m.Status == "unsubscribed"),
            ["cleaned_count"] = list.Members.Values.Count(m => m.Status == "cleaned"),
            ["merge_field_count"] = list.Fields.Count,
        },
        ["_links"] = new JsonArray(),
    });

    private static ApiResult MergeFieldsJson(SimList list) => Ok(new JsonObject
    {
        ["merge_fields"] = new JsonArray([.. list.Fields.Select(f => (JsonNode)FieldJson(list, f))]),
        ["list_id"] = list.Id,
        ["total_items"] = list.Fields.Count,
        ["_links"] = new JsonArray(),
    });

    private static JsonObject FieldJson(SimList list, SimField field) => new()
    {
        ["merge_id"] = field.MergeId,
        ["tag"] = field.Tag,
        ["name"] = field.Name,
        ["type"] = field.Type,
        ["required"] = field.Required,
        ["default_value"] = string.Empty,
        ["public"] = false,
        ["display_order"] = field.MergeId + 1,
        ["options"] = new JsonObject(),
        ["help_text"] = string.Empty,
        ["list_id"] = list.Id,
        ["_links"] = new JsonArray(),
    };

    private static JsonObject MemberJson(SimList list, SimMember member)
    {
        var merge = new JsonObject();
        foreach (var field in list.Fields)
        {
            merge[field.Tag] = member.Merge.TryGetValue(field.Tag, out var value) && value is not null ? value.DeepClone() : string.Empty;
        }

        var first = Str(member.Merge.GetValueOrDefault("FNAME"));
        var last = Str(member.Merge.GetValueOrDefault("LNAME"));
        return new JsonObject
        {
            ["id"] = member.Hash,
            ["email_address"] = member.Email,
            ["unique_email_id"] = member.UniqueEmailId,
            ["contact_id"] = member.Hash,
            ["full_name"] = string.Join(' ', new[] { first, last }.Where(n => !string.IsNullOrEmpty(n))),
            ["web_id"] = member.WebId,
            ["email_type"] = member.EmailType,
            ["status"] = member.Status,
            ["merge_fields"] = merge,
            ["stats"] = new JsonObject { ["avg_open_rate"] = 0, ["avg_click_rate"] = 0 },
            ["ip_signup"] = string.Empty,
            ["timestamp_signup"] = Iso(member.TimestampSignup),
            ["ip_opt"] = string.Empty,
            ["timestamp_opt"] = member.TimestampOpt is { } opt ? Iso(opt) : string.Empty,
            ["member_rating"] = 2,
            ["last_changed"] = Iso(member.LastChanged),
            ["language"] = member.Language,
            ["vip"] = member.Vip,
            ["email_client"] = string.Empty,
            ["source"] = "API - Generic",
            ["tags_count"] = member.Tags.Count,
            ["tags"] = new JsonArray([.. member.Tags.Select(t => (JsonNode)new JsonObject { ["id"] = t.Id, ["name"] = t.Name })]),
            ["list_id"] = list.Id,
            ["_links"] = new JsonArray(),
        };
    }

    private static JsonObject TagsJson(SimMember member) => new()
    {
        ["tags"] = new JsonArray([.. member.Tags.Select(t => (JsonNode)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["date_added"] = Iso(t.Added) })]),
        ["total_items"] = member.Tags.Count,
        ["_links"] = new JsonArray(),
    };

    private static string? Str(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.GetValueKind() is JsonValueKind.Number ? value.ToJsonString() : null
        : null;

    private static string Kind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "integer",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "NULL",
        },
        _ => "NULL",
    };

    private sealed class SimList(string id, string name, int webId, DateTimeOffset created)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public int WebId { get; } = webId;

        public DateTimeOffset Created { get; } = created;

        public List<SimField> Fields { get; } = [];

        public Dictionary<string, SimMember> Members { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Tags { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<SimWebhook> Webhooks { get; } = [];
    }

    private sealed class SimField(int mergeId, string tag, string name, string type)
    {
        public int MergeId { get; } = mergeId;

        public string Tag { get; } = tag;

        public string Name { get; } = name;

        public string Type { get; } = type;

        public bool Required { get; set; }
    }

    private sealed class SimMember(string hash, string email, string uniqueEmailId, int webId)
    {
        public string Hash { get; set; } = hash;

        public string Email { get; set; } = email;

        public string UniqueEmailId { get; } = uniqueEmailId;

        public int WebId { get; } = webId;

        public string Status { get; set; } = "subscribed";

        public string EmailType { get; set; } = "html";

        public string Language { get; set; } = string.Empty;

        public bool Vip { get; set; }

        public Dictionary<string, JsonNode?> Merge { get; } = new(StringComparer.Ordinal);

        public List<SimTag> Tags { get; } = [];

        public DateTimeOffset TimestampSignup { get; set; }

        public DateTimeOffset? TimestampOpt { get; set; }

        public DateTimeOffset LastChanged { get; set; }
    }

    private sealed record SimTag(int Id, string Name, DateTimeOffset Added);

    private sealed class SimJourney(string id, string listId)
    {
        public string Id { get; } = id;

        public string ListId { get; } = listId;

        /// <summary>Step id → whether it is an API starting point.</summary>
        public Dictionary<string, bool> Steps { get; } = new(StringComparer.Ordinal);
    }

    private sealed record JourneyEntry(string JourneyId, string StepId, string Email, DateTimeOffset At);
}
