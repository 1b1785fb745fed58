namespace Integrations.Sdk.Testing.MailchimpMarketing;

/// <summary>Saving and loading the simulator's data, so a second run finds what the first one wrote.</summary>
public sealed partial class MailchimpMarketingSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "Mailchimp Marketing simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.MailchimpMarketingSimulator", ["version"] = 1 });

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: lists with their merge fields, members, tags and
    /// webhooks; journeys and every journey entry; finished batches' results; webhook deliveries; id counters.
    /// Credentials, limits, settings and faults are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["counters"] = new JsonObject { ["webId"] = _nextWebId, ["tagId"] = _nextTagId, ["batch"] = _nextBatch, ["webhook"] = _nextWebhook },
        ["lists"] = new JsonArray([.. _lists.Values.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = l.Id,
            ["name"] = l.Name,
            ["webId"] = l.WebId,
            ["created"] = Iso(l.Created),
            ["fields"] = new JsonArray([.. l.Fields.Select(f => (JsonNode)new JsonObject { ["mergeId"] = f.MergeId, ["tag"] = f.Tag, ["name"] = f.Name, ["type"] = f.Type, ["required"] = f.Required })]),
            ["tags"] = new JsonObject(l.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
            ["webhooks"] = new JsonArray([.. l.Webhooks.Select(w => (JsonNode)WebhookJson(l.Id, w))]),
            ["members"] = new JsonArray([.. l.Members.Values.Select(m => (JsonNode)new JsonObject
            {
                ["email"] = m.Email,
                ["uniqueEmailId"] = m.UniqueEmailId,
                ["webId"] = m.WebId,
                ["status"] = m.Status,
                ["emailType"] = m.EmailType,
                ["language"] = m.Language,
                ["vip"] = m.Vip,
                ["merge"] = new JsonObject(m.Merge.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                ["tags"] = new JsonArray([.. m.Tags.Select(t => (JsonNode)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["added"] = Iso(t.Added) })]),
                ["signup"] = Iso(m.TimestampSignup),
                ["opt"] = m.TimestampOpt is { } opt ? Iso(opt) : null,
                ["changed"] = Iso(m.LastChanged),
            })]),
        })]),
        ["journeys"] = new JsonArray([.. _journeys.Values.Select(j => (JsonNode)new JsonObject
        {
            ["id"] = j.Id,
            ["listId"] = j.ListId,
            ["steps"] = new JsonObject(j.Steps.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
        })]),
        ["entries"] = new JsonArray([.. _entries.Select(e => (JsonNode)new JsonObject { ["journeyId"] = e.JourneyId, ["stepId"] = e.StepId, ["email"] = e.Email, ["at"] = Iso(e.At) })]),
        ["batches"] = new JsonArray([.. _batches.Values.Where(b => b.Status == "finished").Select(b => (JsonNode)new JsonObject
        {
            ["id"] = b.Id,
            ["submitted"] = Iso(b.Submitted),
            ["completed"] = Iso(b.Completed!.Value),
            ["total"] = b.Operations.Count,
            ["results"] = new JsonArray([.. b.Results!.Select(r => (JsonNode)new JsonObject { ["status_code"] = r.StatusCode, ["operation_id"] = r.OperationId, ["response"] = r.Response })]),
        })]),
        ["deliveries"] = new JsonArray([.. _deliveries.Select(d => JsonSerializer.SerializeToNode(d))]),
    }), cancellationToken);

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved Mailchimp Marketing simulator.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            var lists = new Dictionary<string, SimList>(StringComparer.Ordinal);
            foreach (var l in (root["lists"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var list = new SimList(Need(l, "id"), Need(l, "name"), l["webId"]!.GetValue<int>(), Date(Need(l, "created")));
                foreach (var f in (l["fields"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    list.Fields.Add(new SimField(f["mergeId"]!.GetValue<int>(), Need(f, "tag"), Need(f, "name"), Need(f, "type")) { Required = f["required"]?.GetValue<bool>() ?? false });
                }

                foreach (var (name, id) in l["tags"] as JsonObject ?? [])
                {
                    list.Tags[name] = id!.GetValue<int>();
                }

                foreach (var w in (l["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    list.Webhooks.Add(new SimWebhook(Need(w, "id"), Need(w, "url"), Flags(w["events"] as JsonObject, EventTypes, _ => false), Flags(w["sources"] as JsonObject, SourceTypes, _ => false)));
                }

                foreach (var m in (l["members"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var email = Need(m, "email");
                    var member = new SimMember(SubscriberHashOf(email), email, Need(m, "uniqueEmailId"), m["webId"]!.GetValue<int>())
                    {
                        Status = Need(m, "status"),
                        EmailType = Str(m["emailType"]) ?? "html",
                        Language = Str(m["language"]) ?? string.Empty,
                        Vip = m["vip"]?.GetValue<bool>() ?? false,
                        TimestampSignup = Date(Need(m, "signup")),
                        TimestampOpt = Str(m["opt"]) is { } opt ? Date(opt) : null,
                        LastChanged = Date(Need(m, "changed")),
                    };
                    foreach (var (tag, value) in m["merge"] as JsonObject ?? [])
                    {
                        member.Merge[tag] = value?.DeepClone();
                    }

                    foreach (var t in (m["tags"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        member.Tags.Add(new SimTag(t["id"]!.GetValue<int>(), Need(t, "name"), Date(Need(t, "added"))));
                    }

                    list.Members[member.Hash] = member;
                }

                lists[list.Id] = list;
            }

            var journeys = new Dictionary<string, SimJourney>(StringComparer.Ordinal);
            foreach (var j in (root["journeys"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var journey = new SimJourney(Need(j, "id"), Need(j, "listId"));
                foreach (var (step, api) in j["steps"] as JsonObject ?? [])
                {
                    journey.Steps[step] = api!.GetValue<bool>();
                }

                journeys[journey.Id] = journey;
            }

            var entries = (root["entries"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(e => new JourneyEntry(Need(e, "journeyId"), Need(e, "stepId"), Need(e, "email"), Date(Need(e, "at")))).ToList();
            var batches = (root["batches"] as JsonArray ?? []).OfType<JsonObject>().Select(b =>
            {
                var total = b["total"]!.GetValue<int>();
                return new SimBatch(Need(b, "id"), Date(Need(b, "submitted")), [.. Enumerable.Repeat(new BatchOperation("GET", "/", new Dictionary<string, string>(), string.Empty, null), total)])
                {
                    Status = "finished",
                    Completed = Date(Need(b, "completed")),
                    Results = [.. (b["results"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new BatchResult(r["status_code"]!.GetValue<int>(), Str(r["operation_id"]), Str(r["response"]) ?? string.Empty))],
                };
            }).ToList();
            var deliveries = (root["deliveries"] as JsonArray ?? []).Select(d => d.Deserialize<SimulatedMailchimpWebhookDelivery>() ?? throw new JsonException("a null delivery")).ToList();
            var counters = root["counters"] as JsonObject ?? [];
            lock (Gate)
            {
                _lists.Clear();
                foreach (var (id, list) in lists)
                {
                    _lists[id] = list;
                }

                _journeys.Clear();
                foreach (var (id, journey) in journeys)
                {
                    _journeys[id] = journey;
                }

                _entries.Clear();
                _entries.AddRange(entries);
                _batches.Clear();
                foreach (var batch in batches)
                {
                    _batches[batch.Id] = batch;
                }

                _deliveries.Clear();
                _deliveries.AddRange(deliveries);
                _nextWebId = counters["webId"]?.GetValue<int>() ?? _nextWebId;
                _nextTagId = counters["tagId"]?.GetValue<int>() ?? _nextTagId;
                _nextBatch = counters["batch"]?.GetValue<int>() ?? _nextBatch;
                _nextWebhook = counters["webhook"]?.GetValue<int>() ?? _nextWebhook;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException or KeyNotFoundException)
        {
            throw Persistence.Invalid(path, ex.Message, ex);
        }

        static string Need(JsonObject o, string name) => Str(o[name]) ?? throw new JsonException($"\"{name}\" is missing.");

        static DateTimeOffset Date(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }
}
