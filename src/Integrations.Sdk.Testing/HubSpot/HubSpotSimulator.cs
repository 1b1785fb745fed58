using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>
/// A stateful fake of HubSpot's CRM v3 object API (contacts, tasks, deals) on 127.0.0.1, for tests and samples. It
/// speaks HTTP and JSON only (it does not use the HubSpot connector package).
/// </summary>
/// <remarks>
/// <para><b>Objects</b> are answered as HubSpot's <c>SimplePublicObject</c>: <c>id</c>, <c>properties</c>,
/// <c>createdAt</c>, <c>updatedAt</c>, <c>archived</c> and, once archived, <c>archivedAt</c>. Every object carries
/// <c>hs_object_id</c> and its creation and modification dates (<c>createdate</c>/<c>lastmodifieddate</c> on
/// contacts, <c>createdate</c>/<c>hs_lastmodifieddate</c> on deals, <c>hs_createdate</c>/<c>hs_lastmodifieddate</c>
/// on tasks). A read (<c>GET</c>, list, search) returns the properties it asks for (<c>properties=a,b</c> or a
/// search's <c>properties</c>; one asked but without a value is <c>null</c>, one that does not exist is left out)
/// plus those three, or the type's defaults when it asks for none; a write answers every property with a value.
/// Only properties that exist can be written: HubSpot's own ones and those added with <see cref="AddProperty"/>
/// (or given to <see cref="AddContact"/>/<see cref="AddDeal(string, string, decimal?, IReadOnlyDictionary{string, string?}?)"/>); anything else is a 400 <c>VALIDATION_ERROR</c>
/// with <c>PROPERTY_DOESNT_EXIST</c> in <c>errors[]</c>.</para>
/// <para><b>Endpoints</b>, each served through <see cref="SimulatorHost.Faults"/> under the name in brackets:</para>
/// <list type="bullet">
/// <item><c>POST /crm/v3/objects/{contacts|tasks|deals}/search</c> [<c>contacts.search</c>, <c>tasks.search</c>,
/// <c>deals.search</c>]: <c>filterGroups</c> (groups OR-ed, filters AND-ed, at most 6 groups) with the operators
/// HubSpot's <c>Filter</c> declares (<c>EQ</c>, <c>NEQ</c>, <c>GT</c>, <c>GTE</c>, <c>LT</c>, <c>LTE</c>,
/// <c>BETWEEN</c>, <c>IN</c>, <c>NOT_IN</c>, <c>HAS_PROPERTY</c>, <c>NOT_HAS_PROPERTY</c>, <c>CONTAINS_TOKEN</c>,
/// <c>NOT_CONTAINS_TOKEN</c>); an unknown operator or property, or a missing value, is a 400 naming the field in
/// <c>errors[].in</c>. <c>EQ</c> compares case-insensitively, dates compare as instants (ISO 8601 or epoch
/// milliseconds). Tasks also filter on <c>associations.contact</c>. One sort (<c>sorts[0]</c>, an object with
/// <c>propertyName</c> and <c>direction</c> or a property name), <c>limit</c> (default 10, at most 200) and
/// <c>after</c> (an offset). Answers <c>{total, results, paging.next.after}</c>. Like HubSpot's, the search index
/// lags writes: an object created through the API is found by search only <see cref="SearchIndexLag"/> after its
/// creation, on the simulator's clock (a GET by id finds it at once).</item>
/// <item><c>POST /crm/v3/objects/contacts/batch/upsert</c> [<c>contacts.upsert</c>]: <c>inputs[]</c> with
/// <c>idProperty</c> (only <c>email</c> is unique on contacts: anything else is a 400) and <c>id</c>; creates or
/// updates by email, case-insensitively; results carry <c>new</c>. An input that cannot be applied (no <c>id</c>, an
/// <c>email</c> property other than the id) goes to <c>errors[]</c> and the answer is a 207 with
/// <c>numErrors</c>.</item>
/// <item><c>POST /crm/v3/objects/{type}</c> [<c>contacts.create</c>, <c>tasks.create</c>...]: 201; a contact's email
/// that exists is a 409 <c>CONFLICT</c>; a task needs <c>hs_timestamp</c>, and its <c>associations</c> to contacts
/// (type 204, <c>HUBSPOT_DEFINED</c>) must name existing contacts.</item>
/// <item><c>GET /crm/v3/objects/{type}</c> [<c>deals.list</c>...] (<c>limit</c> default 10, at most 100;
/// <c>after</c>; <c>archived</c>; <c>properties</c>), <c>GET</c> [<c>contacts.get</c>...] and <c>PATCH
/// /crm/v3/objects/{type}/{id}</c> [<c>contacts.update</c>...] (<c>idProperty=email</c> on contacts; 404
/// <c>OBJECT_NOT_FOUND</c>; a PATCH to an email another contact has is a 409), <c>DELETE</c> [<c>contacts.archive</c>...]
/// (archives: 204; the object then answers only to <c>archived=true</c>).</item>
/// <item>Deals as a CRM (<see cref="AddDeal(Crm.SimulatedDeal)"/>, <see cref="SetDealOutcome"/>): <c>GET
/// /crm/v3/pipelines/deals</c> [<c>pipelines.list</c>] and <c>.../{pipelineId}/stages</c> [<c>pipelines.stages</c>],
/// <c>GET /crm/v4/objects/deals/{id}/associations/contacts</c> [<c>deals.associations</c>], <c>POST
/// /crm/v3/objects/contacts/batch/read</c> [<c>contacts.batchRead</c>], <c>GET /crm/v3/owners/{ownerId}</c>
/// [<c>owners.get</c>].</item>
/// <item>An object type other than contacts, tasks and deals is a 400 "Unable to infer object type from: ..."; any
/// other route a 404 <c>OBJECT_NOT_FOUND</c>, both with HubSpot's error body.</item>
/// </list>
/// <para><b>Every call</b> is checked in this order: the bearer token (401 <c>INVALID_AUTHENTICATION</c> unless
/// <c>Authorization: Bearer {AccessToken}</c>); the throttle (<see cref="RequestsPerWindow"/> per
/// <see cref="Window"/>, a token bucket on the simulator's clock; beyond it 429 <c>RATE_LIMITS</c> with
/// <c>Retry-After</c> in whole seconds). Answers carry <c>X-HubSpot-Correlation-Id</c>,
/// <c>X-HubSpot-RateLimit-Max</c>, <c>-Remaining</c> and <c>-Interval-Milliseconds</c>; error bodies are HubSpot's
/// <c>{status, message, correlationId, category}</c>. Injected 5xx and 429 faults carry the same body.
/// <see cref="FaultKind.CommitThenDrop"/> applies the write, then drops the connection.</para>
/// </remarks>
public sealed partial class HubSpotSimulator : SimulatorHost
{
    /// <inheritdoc />
    public override string Platform => "hubspot";

    /// <summary>The object types served.</summary>
    public static readonly IReadOnlyList<string> ObjectTypes = ["contacts", "tasks", "deals"];

    private readonly Dictionary<string, List<SimObject>> _objects = new(StringComparer.Ordinal);
    private long _lastId = 1000;
    private long _lastEventId = 100;
    private int _requests;
    private int _throttled;
    private double _tokens;
    private DateTimeOffset _lastRefill;

    /// <summary>Creates the simulator (not started).</summary>
    /// <param name="timeProvider">The platform's clock: throttling, timestamps, webhook timestamps. The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public HubSpotSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        foreach (var type in ObjectTypes)
        {
            _objects[type] = [];
        }

        _tokens = RequestsPerWindow;
        _lastRefill = Time.GetUtcNow();
        _indexLags = new Random(seed);
    }

    /// <summary>The private-app token the API accepts. <value>Default: <c>pat-sim-0000</c>.</value></summary>
    public string AccessToken { get; set; } = "pat-sim-0000";

    /// <summary>The app's client secret webhooks are signed with. <value>Default: <c>sim-client-secret</c>.</value></summary>
    public string ClientSecret { get; set; } = "sim-client-secret";

    /// <summary>The portal (hub) id put in webhook events. <value>Default: 62515.</value></summary>
    public long PortalId { get; set; } = 62515;

    /// <summary>Requests allowed per <see cref="Window"/>; below 1 for no limit. <value>Default: 190.</value></summary>
    public int RequestsPerWindow { get; set; } = 190;

    /// <summary>The throttle's window. <value>Default: 10 seconds.</value></summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after its creation through the API an object is found by search (<c>.../search</c>); a GET by id, a
    /// list, an upsert's email match and association checks see it at once. HubSpot documents that a newly created
    /// object may take a few moments to appear in search results, without a figure: 5 seconds is assumed (reports put
    /// it at several seconds). Objects added with <see cref="AddContact"/> and the <c>AddDeal</c> overloads count as
    /// created long ago and are found at once. A change to a deal (a PATCH, <see cref="UpdateDeal"/>,
    /// <see cref="SetDealOutcome"/>) reaches search after a lag drawn between zero and this (seeded, so a run repeats),
    /// so changes made in one order can reach search in another, as with an asynchronous index; until then search
    /// finds the deal as it was. Changes to contacts and tasks are searchable at once (not modeled).
    /// <value>Default: 5 seconds; zero for an index that is never stale.</value>
    /// </summary>
    public TimeSpan SearchIndexLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>API requests received (throttled and refused ones included).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Requests answered 429 by the simulator's own throttle (injected faults excluded).</summary>
    public int ThrottledCount => Volatile.Read(ref _throttled);

    /// <summary>The contacts, in creation order.</summary>
    public IReadOnlyList<SimulatedHubSpotObject> Contacts => Snapshot("contacts");

    /// <summary>The tasks, in creation order.</summary>
    public IReadOnlyList<SimulatedHubSpotObject> Tasks => Snapshot("tasks");

    /// <summary>The deals, in creation order.</summary>
    public IReadOnlyList<SimulatedHubSpotObject> Deals => Snapshot("deals");

    /// <summary>
    /// Tasks beyond the first for the same contact and the same marker (the <c>[integrations-ref:...]</c> line of the
    /// body, else the subject): a correct integration leaves this empty.
    /// </summary>
    public IReadOnlyList<SimulatedHubSpotObject> DuplicateTasks =>
        [.. Tasks.SelectMany(t => t.ContactIds.Select(c => (Contact: c, Key: TaskKey(t), Task: t)))
            .GroupBy(x => (x.Contact, x.Key))
            .SelectMany(g => g.Skip(1).Select(x => x.Task))
            .Distinct()];

    /// <summary>
    /// Property values an integration most likely did not mean to write: the text <c>null</c>, <c>undefined</c>,
    /// <c>NaN</c> or <c>[object Object]</c>, a .NET type name (<c>System.</c>...), or leading or trailing white space.
    /// </summary>
    public IReadOnlyList<FlaggedPropertyValue> FlaggedPropertyValues
    {
        get
        {
            lock (Gate)
            {
                return [.. from entry in _objects
                           from o in entry.Value
                           from property in o.Properties
                           where property.Value is not null && Flag(property.Value) is not null
                           select new FlaggedPropertyValue(entry.Key, o.Id, property.Key, property.Value!, Flag(property.Value)!)];
            }
        }
    }

    /// <summary>Adds a contact, as if created in HubSpot.</summary>
    /// <param name="email">Its email, unique (case-insensitively).</param>
    /// <param name="properties">Other properties; optional.</param>
    /// <returns>The contact.</returns>
    /// <exception cref="InvalidOperationException">The email is taken.</exception>
    public SimulatedHubSpotObject AddContact(string email, IReadOnlyDictionary<string, string?>? properties = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (Gate)
        {
            if (FindByEmail(email) is not null)
            {
                throw new InvalidOperationException($"A contact with the email {email} exists.");
            }

            var props = new Dictionary<string, string?>(properties ?? new Dictionary<string, string?>(), StringComparer.Ordinal) { ["email"] = email };
            DefineAll("contacts", props.Keys);
            return Create("contacts", props, [], indexed: true).ToRecord();
        }
    }

    /// <summary>Adds a deal, as if created in HubSpot.</summary>
    /// <param name="name">Its name (<c>dealname</c>).</param>
    /// <param name="stage">Its stage (<c>dealstage</c>), for example <c>closedwon</c>.</param>
    /// <param name="amount">Its amount; optional.</param>
    /// <param name="properties">Other properties; optional.</param>
    /// <returns>The deal.</returns>
    public SimulatedHubSpotObject AddDeal(string name, string stage, decimal? amount = null, IReadOnlyDictionary<string, string?>? properties = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        var props = new Dictionary<string, string?>(properties ?? new Dictionary<string, string?>(), StringComparer.Ordinal)
        {
            ["dealname"] = name,
            ["dealstage"] = stage,
            ["pipeline"] = "default",
        };
        if (amount is { } a)
        {
            props["amount"] = a.ToString(CultureInfo.InvariantCulture);
        }

        lock (Gate)
        {
            DefineAll("deals", props.Keys);
            return Create("deals", props, [], indexed: true).ToRecord();
        }
    }

    /// <summary>Changes a deal's properties, as if edited in HubSpot (its <c>hs_lastmodifieddate</c> moves to now).</summary>
    /// <param name="id">The deal's id.</param>
    /// <param name="properties">The properties to set.</param>
    /// <returns>The deal.</returns>
    /// <exception cref="KeyNotFoundException">No such deal.</exception>
    public SimulatedHubSpotObject UpdateDeal(string id, IReadOnlyDictionary<string, string?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        lock (Gate)
        {
            var deal = _objects["deals"].Find(d => d.Id == id) ?? throw new KeyNotFoundException($"No deal {id}.");
            DefineAll("deals", properties.Keys);
            Update(deal, properties);
            return deal.ToRecord();
        }
    }

    /// <summary>
    /// Creates a webhook delivery of one event, signed v3 as HubSpot would post it to <paramref name="target"/>:
    /// <c>X-HubSpot-Signature-v3</c> over <c>POST</c> + the URI + the body + <c>X-HubSpot-Request-Timestamp</c>.
    /// </summary>
    /// <param name="target">The URL the webhook is posted to (it is signed).</param>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="timestamp">The request timestamp; pass an old one for a stale delivery. <value>Default: now on the simulator's clock.</value></param>
    /// <param name="signWith">The secret to sign with; pass another to forge. <value>Default: <see cref="ClientSecret"/>.</value></param>
    public SignedWebhook CreateWebhook(Uri target, SimulatedWebhookEvent webhookEvent, DateTimeOffset? timestamp = null, string? signWith = null)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        return CreateWebhook(target, [webhookEvent], timestamp, signWith);
    }

    /// <summary>Creates a webhook delivery of a batch of events (HubSpot batches up to 100), signed like <see cref="CreateWebhook(Uri, SimulatedWebhookEvent, DateTimeOffset?, string?)"/>.</summary>
    /// <param name="target">The URL the webhook is posted to (it is signed).</param>
    /// <param name="events">The events.</param>
    /// <param name="timestamp">The request timestamp. <value>Default: now on the simulator's clock.</value></param>
    /// <param name="signWith">The secret to sign with. <value>Default: <see cref="ClientSecret"/>.</value></param>
    public SignedWebhook CreateWebhook(Uri target, IReadOnlyList<SimulatedWebhookEvent> events, DateTimeOffset? timestamp = null, string? signWith = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(events);
        var now = Time.GetUtcNow();
        var array = new JsonArray();
        foreach (var e in events)
        {
            var item = new JsonObject
            {
                ["eventId"] = e.EventId ?? Interlocked.Increment(ref _lastEventId),
                ["subscriptionId"] = 4_200_001,
                ["portalId"] = PortalId,
                ["appId"] = 1_160_452,
                ["occurredAt"] = (e.OccurredAt ?? now).ToUnixTimeMilliseconds(),
                ["subscriptionType"] = e.SubscriptionType,
                ["attemptNumber"] = 0,
                ["objectId"] = e.ObjectId,
                ["changeSource"] = "CRM",
            };
            if (e.PropertyName is not null)
            {
                item["propertyName"] = e.PropertyName;
                item["propertyValue"] = e.PropertyValue;
            }

            array.Add(item);
        }

        var stamp = (timestamp ?? now).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return SignedWebhook.Create(array, body => new Dictionary<string, string>
        {
            ["X-HubSpot-Signature-v3"] = Convert.ToBase64String(SignedWebhook.HmacSha256(signWith ?? ClientSecret, SignedBytes("POST", target, body, stamp))),
            ["X-HubSpot-Request-Timestamp"] = stamp,
        });
    }

    /// <summary>HubSpot's v3 signed text: method + URI (with <c>%3A</c>, <c>%2F</c>... decoded) + body + timestamp.</summary>
    private static byte[] SignedBytes(string method, Uri target, byte[] body, string timestamp)
    {
        string[] escapes = ["%3A", ":", "%2F", "/", "%3F", "?", "%40", "@", "%21", "!", "%24", "$", "%27", "'", "%28", "(", "%29", ")", "%2A", "*", "%2C", ",", "%3B", ";"];
        var uri = target.AbsoluteUri;
        for (var i = 0; i < escapes.Length; i += 2)
        {
            uri = uri.Replace(escapes[i], escapes[i + 1], StringComparison.OrdinalIgnoreCase);
        }

        return [.. Encoding.UTF8.GetBytes(method + uri), .. body, .. Encoding.UTF8.GetBytes(timestamp)];
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "POST", "/crm/v3/objects/{type}/search", SearchAsync);
        Map(endpoints, "POST", "/crm/v3/objects/contacts/batch/upsert", UpsertAsync);
        Map(endpoints, "POST", "/crm/v3/objects/contacts/batch/read", BatchReadAsync);
        Map(endpoints, "GET", "/crm/v3/pipelines/deals", PipelinesAsync);
        Map(endpoints, "GET", "/crm/v3/pipelines/deals/{pipelineId}/stages", PipelineStagesAsync);
        Map(endpoints, "GET", "/crm/v4/objects/{type}/{id}/associations/{toType}", AssociationsAsync);
        Map(endpoints, "GET", "/crm/v3/owners/{ownerId}", OwnerAsync);
        Map(endpoints, "POST", "/crm/v3/objects/{type}", CreateAsync);
        Map(endpoints, "GET", "/crm/v3/objects/{type}", ListAsync);
        Map(endpoints, "GET", "/crm/v3/objects/{type}/{id}", GetAsync);
        Map(endpoints, "PATCH", "/crm/v3/objects/{type}/{id}", PatchAsync);
        Map(endpoints, "DELETE", "/crm/v3/objects/{type}/{id}", ArchiveAsync);
        endpoints.MapFallback("{**path}", UnknownRoute);
    }

    private static string TaskKey(SimulatedHubSpotObject task)
    {
        var body = task["hs_task_body"] ?? string.Empty;
        var start = body.IndexOf("[integrations-ref:", StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = body.IndexOf(']', start);
            if (end > start)
            {
                return body[start..(end + 1)];
            }
        }

        return "subject:" + (task["hs_task_subject"] ?? string.Empty).ToUpperInvariant();
    }

    private static string? Flag(string value)
    {
        if (value is "null" or "undefined" or "NaN" or "[object Object]")
        {
            return $"the text '{value}' instead of a value";
        }

        if (value.StartsWith("System.", StringComparison.Ordinal) && !value.Contains(' ', StringComparison.Ordinal))
        {
            return "a .NET type name instead of a value";
        }

        return value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) ? "leading or trailing white space" : null;
    }

    private List<SimulatedHubSpotObject> Snapshot(string type) => Locked(() => _objects[type].Select(o => o.ToRecord()).ToList());

    private SimObject? FindByEmail(string email) =>
        _objects["contacts"].Find(c => c.ArchivedAt is null && string.Equals(c.Properties.GetValueOrDefault("email"), email.Trim(), StringComparison.OrdinalIgnoreCase));

    private SimObject Create(string type, Dictionary<string, string?> properties, List<string> contactIds, bool indexed = false)
    {
        var now = Time.GetUtcNow();
        var created = new SimObject(type, (++_lastId).ToString(CultureInfo.InvariantCulture), new Dictionary<string, string?>(StringComparer.Ordinal), now, now, contactIds)
        {
            SearchableAt = indexed || SearchIndexLag <= TimeSpan.Zero ? now : now + SearchIndexLag,
        };
        foreach (var (name, value) in properties)
        {
            created.Properties[name] = value;
        }

        var stamp = Iso(now);
        created.Properties["hs_object_id"] = created.Id;
        created.Properties[CreatedProperty(type)] = stamp;
        created.Properties[ModifiedProperty(type)] = stamp;
        if (type == "deals")
        {
            created.Index = [(created.SearchableAt, new Dictionary<string, string?>(created.Properties, StringComparer.Ordinal))];
        }

        _objects[type].Add(created);
        return created;
    }

    private void Update(SimObject target, IReadOnlyDictionary<string, string?> properties)
    {
        var now = Time.GetUtcNow();
        foreach (var (name, value) in properties)
        {
            target.Properties[name] = value;
        }

        target.UpdatedAt = now;
        target.Properties[ModifiedProperty(target.Type)] = Iso(now);
        target.Index?.Add((now + DealIndexLag(), new Dictionary<string, string?>(target.Properties, StringComparer.Ordinal)));
    }

    internal static string Iso(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed class SimObject(string type, string id, Dictionary<string, string?> properties, DateTimeOffset createdAt, DateTimeOffset updatedAt, List<string> contactIds)
    {
        public string Type { get; } = type;

        public string Id { get; } = id;

        public Dictionary<string, string?> Properties { get; } = properties;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = updatedAt;

        public List<string> ContactIds { get; } = contactIds;

        /// <summary>From when search finds the object (its creation plus the index lag).</summary>
        public DateTimeOffset SearchableAt { get; init; } = createdAt;

        /// <summary>When it was archived (<c>DELETE</c>); <see langword="null"/> while it is live.</summary>
        public DateTimeOffset? ArchivedAt { get; set; }

        /// <summary>
        /// Deals only: each version of the properties as the search index gets it, with when search sees it, in the
        /// order of the changes (the newest visible one is what search finds); <see langword="null"/> for other types.
        /// </summary>
        public List<(DateTimeOffset At, Dictionary<string, string?> Properties)>? Index { get; set; }

        public SimulatedHubSpotObject ToRecord() =>
            new(Id, new Dictionary<string, string?>(Properties, StringComparer.Ordinal), CreatedAt, UpdatedAt, [.. ContactIds]) { ArchivedAt = ArchivedAt };
    }
}
