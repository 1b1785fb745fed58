using Integrations.Sdk.Testing.Crm;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>
/// Deals as a CRM: deal pipelines and their stages (<c>GET /crm/v3/pipelines/deals</c>), deal → contact associations
/// (v4), contacts read in batches, owners, the search index lag on deal changes, and the <c>deal.propertyChange</c>
/// events HubSpot would post. Written from HubSpot's specs and guides (pipelines, associations v4, CRM search, owners,
/// webhooks); what is assumed is listed in docs/testing.md.
/// </summary>
public sealed partial class HubSpotSimulator
{
    /// <summary>HubSpot's search pages through at most this many results of one query.</summary>
    private const int MaxSearchResults = 10_000;

    /// <summary>The association type HubSpot defines for an unlabeled deal → contact association.</summary>
    private const int DealToContactTypeId = 3;

    /// <summary>The portal's own (<c>USER_DEFINED</c>) deal → contact label the simulator puts on a deal's first contact.</summary>
    private const int PrimaryContactLabelTypeId = 9;

    /// <summary>The label of <see cref="PrimaryContactLabelTypeId"/>.</summary>
    private const string PrimaryContactLabel = "Primary";

    /// <summary>The portal's deal pipelines: HubSpot's default one, and a second one whose ids mean nothing.</summary>
    private static readonly SimPipeline[] DealPipelines =
    [
        new("default", "Sales Pipeline",
        [
            new("appointmentscheduled", "Appointment Scheduled", "0.2", false),
            new("qualifiedtobuy", "Qualified To Buy", "0.4", false),
            new("presentationscheduled", "Presentation Scheduled", "0.6", false),
            new("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", false),
            new("contractsent", "Contract Sent", "0.9", false),
            new("closedwon", "Closed Won", "1.0", true),
            new("closedlost", "Closed Lost", "0.0", true),
        ]),
        new("31337001", "Enterprise renewals",
        [
            new("81234565", "Discovery", "0.3", false),
            new("81234566", "Proposal made", "0.7", false),
            new("81234567", "Signed", "1.0", true),
            new("81234568", "Went elsewhere", "0.0", true),
        ]),
    ];

    /// <summary>When the simulated portal's pipelines were set up (their <c>createdAt</c>/<c>updatedAt</c>).</summary>
    private static readonly DateTimeOffset PipelinesCreatedAt = new(2024, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private readonly Random _indexLags;
    private readonly List<SimulatedWebhookEvent> _events = [];
    private readonly Dictionary<string, SimOwner> _owners = new(StringComparer.Ordinal);
    private int _eventsTaken;
    private long _lastOwnerId = 48_000_000;

    /// <summary>The deals not archived.</summary>
    public int DealCount => Locked(() => _objects["deals"].Count(d => d.ArchivedAt is null));

    /// <summary>
    /// The webhook events the simulator recorded, oldest first: <c>deal.creation</c> for each deal added with
    /// <see cref="AddDeal(SimulatedDeal)"/> and <c>deal.propertyChange</c> on <c>dealstage</c> for each
    /// <see cref="SetDealOutcome"/> that moved a deal. Each has its own <c>eventId</c>; pass them to
    /// <see cref="CreateWebhook(Uri, IReadOnlyList{SimulatedWebhookEvent}, DateTimeOffset?, string?)"/> to deliver
    /// them, as often as you like (HubSpot delivers at least once: a repeated delivery carries the same <c>eventId</c>).
    /// </summary>
    public IReadOnlyList<SimulatedWebhookEvent> Events => Locked(() => _events.ToList());

    /// <summary>The events recorded since the last call (each returned once), for delivery.</summary>
    /// <returns>The new events, oldest first.</returns>
    public IReadOnlyList<SimulatedWebhookEvent> TakeEvents()
    {
        lock (Gate)
        {
            var taken = _events.Skip(_eventsTaken).ToList();
            _eventsTaken = _events.Count;
            return taken;
        }
    }

    /// <summary>
    /// Adds a deal as a salesperson would: in the first open stage of pipeline <see cref="SimulatedDeal.Pipeline"/>
    /// (0: <c>default</c>; 1: pipeline <c>31337001</c>, whose won stage is <c>81234567</c> "Signed"), owned by an owner
    /// created for <see cref="SimulatedDeal.Owner"/> (one per name), associated with its contacts (a contact whose
    /// email is in the portal is that contact; the first one carries the portal's <c>USER_DEFINED</c> label
    /// "Primary"). Found by search at once; records a <c>deal.creation</c> event (<see cref="Events"/>).
    /// </summary>
    /// <param name="deal">The deal.</param>
    /// <returns>The deal's id.</returns>
    /// <exception cref="ArgumentException">The pipeline is neither 0 nor 1, or the deal has no name.</exception>
    public string AddDeal(SimulatedDeal deal)
    {
        ArgumentNullException.ThrowIfNull(deal);
        ArgumentException.ThrowIfNullOrWhiteSpace(deal.Name);
        if (deal.Pipeline is < 0 or > 1)
        {
            throw new ArgumentException($"The simulator has two deal pipelines (0: default, 1: {DealPipelines[1].Id}), not {deal.Pipeline}.", nameof(deal));
        }

        var pipeline = DealPipelines[deal.Pipeline];
        lock (Gate)
        {
            var contactIds = new List<string>();
            foreach (var contact in deal.Contacts ?? [])
            {
                var existing = contact.Email is { Length: > 0 } email ? FindByEmail(email) : null;
                var id = existing?.Id ?? Create("contacts", new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["email"] = string.IsNullOrWhiteSpace(contact.Email) ? null : contact.Email.Trim(),
                    ["firstname"] = contact.FirstName,
                    ["lastname"] = contact.LastName,
                }, [], indexed: true).Id;
                if (!contactIds.Contains(id))
                {
                    contactIds.Add(id);
                }
            }

            var properties = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["dealname"] = deal.Name,
                ["pipeline"] = pipeline.Id,
                ["dealstage"] = pipeline.Stages.First(s => !s.Closed).Id,
            };
            if (deal.Amount is { } amount)
            {
                properties["amount"] = amount.ToString(CultureInfo.InvariantCulture);
            }

            if (deal.Owner is { Length: > 0 } owner)
            {
                properties["hubspot_owner_id"] = OwnerId(owner.Trim());
            }

            var created = Create("deals", properties, contactIds, indexed: true);
            Record(new SimulatedWebhookEvent("deal.creation", long.Parse(created.Id, CultureInfo.InvariantCulture)));
            return created.Id;
        }
    }

    /// <summary>
    /// Moves a deal, as a salesperson would, to its pipeline's first open stage (a reopened deal), its won stage
    /// (closed, probability 1.0) or its lost stage (closed, probability 0.0); the stage is found from the pipeline's
    /// metadata, never by id. Its <c>hs_lastmodifieddate</c> moves to now on the simulator's clock (and
    /// <c>closedate</c> too when it closes); search sees the change only after the index lag (see
    /// <see cref="SearchIndexLag"/>). Records a <c>deal.propertyChange</c> event on <c>dealstage</c>. A deal already
    /// in that stage is left as it is (no change, no event).
    /// </summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="outcome">Where to move it.</param>
    /// <exception cref="KeyNotFoundException">No such deal.</exception>
    public void SetDealOutcome(string dealId, SimulatedDealOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        lock (Gate)
        {
            var deal = _objects["deals"].Find(d => d.Id == dealId && d.ArchivedAt is null) ?? throw new KeyNotFoundException($"No deal {dealId}.");
            var pipelineId = deal.Properties.GetValueOrDefault("pipeline") ?? "default";
            var pipeline = Array.Find(DealPipelines, p => p.Id == pipelineId) ?? throw new InvalidOperationException($"Deal {dealId} is in pipeline '{pipelineId}', which the simulator does not have.");
            var stage = outcome switch
            {
                SimulatedDealOutcome.Won => pipeline.Stages.First(s => s.Closed && s.Probability == "1.0"),
                SimulatedDealOutcome.Lost => pipeline.Stages.First(s => s.Closed && s.Probability == "0.0"),
                _ => pipeline.Stages.First(s => !s.Closed),
            };
            if (deal.Properties.GetValueOrDefault("dealstage") == stage.Id)
            {
                return;
            }

            var changes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["dealstage"] = stage.Id };
            if (stage.Closed)
            {
                changes["closedate"] = Iso(Time.GetUtcNow());
            }

            Update(deal, changes);
            Record(new SimulatedWebhookEvent("deal.propertyChange", long.Parse(deal.Id, CultureInfo.InvariantCulture), "dealstage", stage.Id));
        }
    }

    /// <summary>
    /// Holds a deal's latest change out of search for <paramref name="lag"/> from now (instead of the random lag it
    /// got), so a test can make changes reach the index out of order.
    /// </summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="lag">How long from now until search sees the change.</param>
    /// <exception cref="KeyNotFoundException">No such deal.</exception>
    public void HoldSearchIndex(string dealId, TimeSpan lag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, TimeSpan.Zero);
        lock (Gate)
        {
            var deal = _objects["deals"].Find(d => d.Id == dealId) ?? throw new KeyNotFoundException($"No deal {dealId}.");
            var index = deal.Index!;
            index[^1] = (Time.GetUtcNow() + lag, index[^1].Properties);
        }
    }

    /// <summary>How long a deal change waits for the search index: between zero and <see cref="SearchIndexLag"/>, from the seeded random.</summary>
    private TimeSpan DealIndexLag() =>
        SearchIndexLag <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Round(SearchIndexLag.TotalMilliseconds * _indexLags.NextDouble()));

    /// <summary>The object as search sees it now: <see langword="null"/> when not yet (or no longer) found; a deal's newest indexed version.</summary>
    private static SimObject? SearchView(SimObject o, DateTimeOffset now)
    {
        if (o.ArchivedAt is not null || o.SearchableAt > now)
        {
            return null;
        }

        if (o.Index is null)
        {
            return o;
        }

        Dictionary<string, string?>? seen = null;
        foreach (var (at, properties) in o.Index)
        {
            if (at <= now)
            {
                seen = properties;
            }
        }

        if (seen is null)
        {
            return null;
        }

        var updated = DateTimeOffset.TryParse(seen.GetValueOrDefault("hs_lastmodifieddate"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at2) ? at2 : o.UpdatedAt;
        return new SimObject(o.Type, o.Id, seen, o.CreatedAt, updated, o.ContactIds);
    }

    private void Record(SimulatedWebhookEvent e) =>
        _events.Add(e with { EventId = Interlocked.Increment(ref _lastEventId), OccurredAt = Time.GetUtcNow() });

    private string OwnerId(string fullName)
    {
        foreach (var (id, known) in _owners)
        {
            if (string.Equals(known.FullName, fullName, StringComparison.OrdinalIgnoreCase))
            {
                return id;
            }
        }

        var parts = fullName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = parts[0];
        var last = parts.Length > 1 ? parts[1] : string.Empty;
        var ownerId = (++_lastOwnerId).ToString(CultureInfo.InvariantCulture);
        var email = (first + (last.Length > 0 ? "." + last : string.Empty)).ToLowerInvariant().Replace(' ', '.') + "@sim-portal.example";
        _owners[ownerId] = new SimOwner(ownerId, first, last, email, Time.GetUtcNow());
        return ownerId;
    }

    private Task<IResult> PipelinesAsync(HttpContext context) => ServeAsync(context, "pipelines.list", () =>
        new Answer(200, new JsonObject { ["results"] = new JsonArray([.. DealPipelines.Select((p, i) => (JsonNode)PipelineJson(p, i))]) }));

    private Task<IResult> PipelineStagesAsync(HttpContext context) => ServeAsync(context, "pipelines.stages", () =>
    {
        var id = context.Request.RouteValues["pipelineId"] as string;
        return Array.Find(DealPipelines, p => p.Id == id) is { } pipeline
            ? new Answer(200, new JsonObject { ["results"] = new JsonArray([.. pipeline.Stages.Select((s, i) => (JsonNode)StageJson(s, i))]) })
            : NotFound($"Unable to find pipeline {id}");
    });

    private static JsonObject PipelineJson(SimPipeline pipeline, int order) => new()
    {
        ["id"] = pipeline.Id,
        ["label"] = pipeline.Label,
        ["displayOrder"] = order,
        ["stages"] = new JsonArray([.. pipeline.Stages.Select((s, i) => (JsonNode)StageJson(s, i))]),
        ["createdAt"] = Iso(PipelinesCreatedAt),
        ["updatedAt"] = Iso(PipelinesCreatedAt),
        ["archived"] = false,
    };

    /// <summary>A stage as HubSpot's pipelines API answers it: its metadata values are strings (<c>"true"</c>, <c>"1.0"</c>).</summary>
    private static JsonObject StageJson(SimStage stage, int order) => new()
    {
        ["id"] = stage.Id,
        ["label"] = stage.Label,
        ["displayOrder"] = order,
        ["metadata"] = new JsonObject { ["isClosed"] = stage.Closed ? "true" : "false", ["probability"] = stage.Probability },
        ["createdAt"] = Iso(PipelinesCreatedAt),
        ["updatedAt"] = Iso(PipelinesCreatedAt),
        ["archived"] = false,
        ["writePermissions"] = "CRM_PERMISSIONS_ENFORCEMENT",
    };

    /// <summary><c>GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}</c>: deal → contacts, paged (<c>limit</c> default and most 500, <c>after</c>).</summary>
    private Task<IResult> AssociationsAsync(HttpContext context) => ServeAsync(context, "deals.associations", () =>
    {
        var from = context.Request.RouteValues["type"] as string;
        var to = context.Request.RouteValues["toType"] as string;
        if (from is not ("deals" or "deal" or "0-3") || to is not ("contacts" or "contact" or "0-1"))
        {
            return Validation($"the simulator serves deal to contact associations only, not {from} to {to}");
        }

        var query = context.Request.Query;
        var limit = 500;
        if (query["limit"].ToString() is { Length: > 0 } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            return Field("limit", $"limit must be an integer between 1 and 500, got '{text}'");
        }

        var offset = 0;
        if (query["after"].ToString() is { Length: > 0 } after && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return Field("after", $"after '{after}' is not a paging cursor of this list");
        }

        var id = context.Request.RouteValues["id"] as string;
        var deal = _objects["deals"].Find(d => d.Id == id && d.ArchivedAt is null);
        var contacts = deal?.ContactIds.Where(c => _objects["contacts"].Exists(o => o.Id == c && o.ArchivedAt is null)).ToList() ?? [];
        var results = new JsonArray();
        foreach (var contactId in contacts.Skip(offset).Take(limit))
        {
            var types = new JsonArray(new JsonObject { ["category"] = "HUBSPOT_DEFINED", ["typeId"] = DealToContactTypeId, ["label"] = null });
            if (contactId == contacts[0])
            {
                types.Add(new JsonObject { ["category"] = "USER_DEFINED", ["typeId"] = PrimaryContactLabelTypeId, ["label"] = PrimaryContactLabel });
            }

            results.Add(new JsonObject { ["toObjectId"] = contactId, ["associationTypes"] = types });
        }

        var page = new JsonObject { ["results"] = results };
        if (offset + limit < contacts.Count)
        {
            var next = (offset + limit).ToString(CultureInfo.InvariantCulture);
            page["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next, ["link"] = $"?after={next}" } };
        }

        return new Answer(200, page);
    });

    /// <summary><c>POST /crm/v3/objects/contacts/batch/read</c>: <c>inputs[].id</c> (at most 100), <c>properties</c>; ids not found go to <c>errors</c> (207).</summary>
    private async Task<IResult> BatchReadAsync(HttpContext context)
    {
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, "contacts.batchRead", () =>
        {
            if (invalid is not null || body is not JsonObject request || request["inputs"] is not JsonArray inputs)
            {
                return Validation($"Invalid input JSON: {invalid ?? "expected {\"inputs\":[{\"id\":...}],\"properties\":[...]}"}");
            }

            if (inputs.Count > 100)
            {
                return Field("inputs", $"a batch read takes at most 100 inputs, got {inputs.Count}");
            }

            if (Str(request["idProperty"]) is { Length: > 0 } idProperty && idProperty is not ("hs_object_id" or "email"))
            {
                return Field("idProperty", $"idProperty '{idProperty}' is not a unique property of contacts");
            }

            var byEmail = Str(request["idProperty"]) == "email";
            var asked = (request["properties"] as JsonArray ?? []).Select(Str).OfType<string>().ToList();
            var startedAt = Iso(Time.GetUtcNow());
            var results = new JsonArray();
            var missing = new List<string>();
            foreach (var id in inputs.OfType<JsonObject>().Select(i => Str(i["id"]) ?? string.Empty).Distinct(StringComparer.Ordinal))
            {
                var contact = byEmail ? FindByEmail(id) : _objects["contacts"].Find(c => c.Id == id && c.ArchivedAt is null);
                if (contact is null)
                {
                    missing.Add(id);
                }
                else
                {
                    results.Add(ReadJson(contact, asked));
                }
            }

            var answer = new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = startedAt, ["completedAt"] = Iso(Time.GetUtcNow()) };
            if (missing.Count == 0)
            {
                return new Answer(200, answer);
            }

            answer["numErrors"] = 1;
            answer["errors"] = new JsonArray(new JsonObject
            {
                ["status"] = "error",
                ["category"] = "OBJECT_NOT_FOUND",
                ["message"] = "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.",
                ["context"] = new JsonObject { ["ids"] = new JsonArray([.. missing.Select(m => (JsonNode)JsonValue.Create(m))]) },
                ["errors"] = new JsonArray(),
                ["links"] = new JsonObject(),
            });
            return new Answer(207, answer);
        }).ConfigureAwait(false);
    }

    /// <summary><c>GET /crm/v3/owners/{ownerId}</c>: <c>id</c>, <c>email</c>, <c>firstName</c>, <c>lastName</c>, <c>userId</c>, dates, <c>archived</c>.</summary>
    private Task<IResult> OwnerAsync(HttpContext context) => ServeAsync(context, "owners.get", () =>
    {
        var id = context.Request.RouteValues["ownerId"] as string ?? string.Empty;
        if (!_owners.TryGetValue(id, out var owner))
        {
            return NotFound($"No owner with id {id}");
        }

        return new Answer(200, new JsonObject
        {
            ["id"] = owner.Id,
            ["email"] = owner.Email,
            ["type"] = "PERSON",
            ["firstName"] = owner.FirstName,
            ["lastName"] = owner.LastName,
            ["userId"] = long.Parse(owner.Id, CultureInfo.InvariantCulture) - 40_000_000,
            ["createdAt"] = Iso(owner.CreatedAt),
            ["updatedAt"] = Iso(owner.CreatedAt),
            ["archived"] = false,
        });
    });

    private sealed record SimStage(string Id, string Label, string Probability, bool Closed);

    private sealed record SimPipeline(string Id, string Label, SimStage[] Stages);

    private sealed record SimOwner(string Id, string FirstName, string LastName, string Email, DateTimeOffset CreatedAt)
    {
        public string FullName => (FirstName + " " + LastName).Trim();
    }
}
