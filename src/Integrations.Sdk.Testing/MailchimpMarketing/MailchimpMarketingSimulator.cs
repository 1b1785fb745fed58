using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.MailchimpMarketing;

/// <summary>
/// A stateful fake of the Mailchimp Marketing API 3.0 on 127.0.0.1, for tests and samples: audiences (lists) with
/// merge fields, members upserted by subscriber hash, tags, Customer Journey API triggers, batch operations with a
/// gzipped tar of results, list webhooks (validation GET, form-encoded deliveries) and the 10-connection limit. It
/// speaks HTTP and JSON only (it does not use the connector package). Point the connector's <c>BaseAddress</c> at
/// <see cref="SimulatorHost.BaseAddress"/> (the API lives under <c>/3.0/</c>; <see cref="ApiBaseAddress"/> includes it).
/// </summary>
/// <remarks>
/// <para><b>Authentication</b>: HTTP Basic with any user name and <see cref="ApiKey"/> as the password, or
/// <c>Bearer</c> <see cref="AccessToken"/>. None: 401 <c>API Key Missing</c>; a key whose <c>-dc</c> suffix is not
/// <see cref="DataCenter"/>: 403 <c>Wrong Datacenter</c>; any other wrong key or token: 401 <c>API Key Invalid</c>.</para>
/// <para><b>Errors</b> are problem details (<c>application/problem+json</c>): <c>type</c>, <c>title</c>,
/// <c>status</c>, <c>detail</c>, <c>instance</c>, and <c>errors: [{field, message}]</c> for validation errors.</para>
/// <para><b>Endpoints</b>, each served through <see cref="SimulatorHost.Faults"/> under the name in brackets (faults
/// come first, after the connection limit): <c>GET /3.0/ping</c> [<c>ping</c>]; <c>GET /3.0/lists/{list_id}</c>
/// [<c>lists.get</c>]; <c>GET|POST .../merge-fields</c> [<c>merge-fields.list</c>, <c>merge-fields.create</c>];
/// <c>GET|PUT|PATCH .../members/{subscriber_hash}</c> [<c>members.get</c>, <c>members.upsert</c>,
/// <c>members.update</c>]; <c>GET|POST .../members/{subscriber_hash}/tags</c> [<c>tags.get</c>, <c>tags.update</c>];
/// <c>GET|POST /3.0/lists/{list_id}/webhooks</c> [<c>webhooks.list</c>, <c>webhooks.create</c>];
/// <c>POST /3.0/customer-journeys/journeys/{journey_id}/steps/{step_id}/actions/trigger</c> [<c>journeys.trigger</c>];
/// <c>POST|GET /3.0/batches</c>, <c>GET /3.0/batches/{batch_id}</c> [<c>batches.create</c>, <c>batches.list</c>,
/// <c>batches.get</c>]; the results archive <c>GET /batch-results/{batch_id}.tar.gz</c> [<c>batches.results</c>],
/// unauthenticated like the pre-signed URL Mailchimp gives. The behaviours, and which of them are assumed rather than
/// documented, are listed in docs/testing.md ("Mailchimp Marketing").</para>
/// <para><b>Journeys are not idempotent</b>: a contact inside a journey (entered less than <see cref="JourneyLength"/>
/// ago) is refused with 400 "already in this journey"; once through it, a new trigger enters it again, which
/// <see cref="DuplicateJourneyEntries"/> counts.</para>
/// <para><b>Connection limit</b>: more than <see cref="MaxConnections"/> requests in flight at once get 429
/// <c>Too Many Requests</c>.</para>
/// </remarks>
public sealed partial class MailchimpMarketingSimulator : SimulatorHost
{
    /// <summary>The fault-injection name of the journey trigger.</summary>
    public const string TriggerJourneyEndpoint = "journeys.trigger";

    /// <summary>The fault-injection name of <c>PUT .../members/{subscriber_hash}</c>.</summary>
    public const string UpsertMemberEndpoint = "members.upsert";

    /// <summary>The fault-injection name of <c>POST .../members/{subscriber_hash}/tags</c>.</summary>
    public const string UpdateTagsEndpoint = "tags.update";

    /// <summary>The <c>type</c> of every problem-details answer.</summary>
    public const string ErrorTypeUrl = "https://mailchimp.com/developer/marketing/docs/errors/";

    private readonly Dictionary<string, SimList> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimJourney> _journeys = new(StringComparer.Ordinal);
    private readonly List<JourneyEntry> _entries = [];
    private readonly string _keyBody;
    private string? _apiKey;
    private int _requests;
    private int _inFlight;
    private int _peakInFlight;
    private int _limited;
    private int _nextWebId = 100000;
    private int _nextTagId = 10000;

    /// <summary>Creates the simulator (not started), with a new random API key and access token.</summary>
    /// <param name="timeProvider">The platform's clock (timestamps, journey length, webhook <c>fired_at</c>). The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public MailchimpMarketingSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        _keyBody = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        AccessToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    /// <inheritdoc />
    public override string Platform => "mailchimp-marketing";

    /// <summary>The account's data centre: a key whose <c>-dc</c> suffix differs is refused (403). <value>Default: <c>us6</c>.</value></summary>
    public string DataCenter { get; set; } = "us6";

    /// <summary>The API key accepted as the Basic password (<c>&lt;32 hex&gt;-&lt;dc&gt;</c>). <value>Default: a random key of <see cref="DataCenter"/> (it follows a change of <see cref="DataCenter"/> until set).</value></summary>
    public string ApiKey
    {
        get => _apiKey ?? _keyBody + "-" + DataCenter;
        set => _apiKey = value;
    }

    /// <summary>The OAuth access token accepted as <c>Bearer</c>. <value>Default: a random one.</value></summary>
    public string AccessToken { get; set; }

    /// <summary>Simultaneous requests allowed; one more gets 429. Below 1 means no limit. <value>Default: 10, as Mailchimp documents.</value></summary>
    public int MaxConnections { get; set; } = 10;

    /// <summary>
    /// How long a contact stays inside a journey after a trigger, on the simulator's clock: a trigger meanwhile is
    /// refused as "already in this journey"; a trigger after it enters the contact again (a duplicate entry).
    /// <value>Default: zero: contacts go straight through, so any repeated trigger is a duplicate entry.</value>
    /// </summary>
    public TimeSpan JourneyLength { get; set; } = TimeSpan.Zero;

    /// <summary>How many operation results each JSON file of a batch's results archive holds. <value>Default: 500.</value></summary>
    public int BatchResultsPerFile { get; set; } = 500;

    /// <summary>The client that sends webhook validation GETs and deliveries. <value>Default: a client per use.</value></summary>
    public HttpClient? CallbackClient { get; set; }

    /// <summary>The API root, once started: <c>http://127.0.0.1:port/3.0/</c>.</summary>
    public Uri ApiBaseAddress => new(BaseAddress, "3.0/");

    /// <summary>Requests received (refused and faulted ones included).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Requests in flight now.</summary>
    public int InFlightCount => Volatile.Read(ref _inFlight);

    /// <summary>The most requests ever in flight at once.</summary>
    public int PeakInFlightCount => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests refused with 429 for going over <see cref="MaxConnections"/> (injected faults excluded).</summary>
    public int ConnectionLimitedCount => Volatile.Read(ref _limited);

    /// <summary>Members on all lists, whatever their status.</summary>
    public int MemberCount => Locked(() => _lists.Values.Sum(l => l.Members.Count));

    /// <summary>Journey entries, all journeys (re-entries included).</summary>
    public int JourneyEntries => Locked(() => _entries.Count);

    /// <summary>Entries of a contact into a journey step it had entered before: a correct integration leaves this 0.</summary>
    public int DuplicateJourneyEntries => Locked(() => _entries.Count - _entries.Select(e => (e.JourneyId, e.StepId, e.Email)).Distinct().Count());

    /// <summary>Members (all lists) carrying the tag <paramref name="tag"/> (compared case-insensitively).</summary>
    /// <param name="tag">The tag's name.</param>
    /// <returns>How many.</returns>
    public int TaggedCount(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return Locked(() => _lists.Values.SelectMany(l => l.Members.Values).Count(m => m.Tags.Any(t => string.Equals(t.Name, tag.Trim(), StringComparison.OrdinalIgnoreCase))));
    }

    /// <summary>The contacts entered into a journey step, lower-cased, each once.</summary>
    /// <param name="journeyId">The journey.</param>
    /// <param name="stepId">The step.</param>
    /// <returns>The emails.</returns>
    public IReadOnlyCollection<string> JourneyContacts(string journeyId, string stepId) => Locked(() =>
        _entries.Where(e => e.JourneyId == journeyId && e.StepId == stepId).Select(e => e.Email).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>Adds an audience with Mailchimp's default merge fields <c>FNAME</c>, <c>LNAME</c>, <c>ADDRESS</c> and <c>PHONE</c>.</summary>
    /// <param name="listId">The list id.</param>
    /// <param name="name">Its name.</param>
    public void AddList(string listId, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
        {
            if (_lists.ContainsKey(listId))
            {
                throw new InvalidOperationException($"The list {listId} exists.");
            }

            var list = new SimList(listId, name, _nextWebId++, Time.GetUtcNow());
            list.Fields.Add(new SimField(1, "FNAME", "First Name", "text"));
            list.Fields.Add(new SimField(2, "LNAME", "Last Name", "text"));
            list.Fields.Add(new SimField(3, "ADDRESS", "Address", "address"));
            list.Fields.Add(new SimField(4, "PHONE", "Phone Number", "phone"));
            _lists.Add(listId, list);
        }
    }

    /// <summary>Adds a merge field to a list.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="tag">Its tag, for example <c>COMPANY</c>.</param>
    /// <param name="type">Its type: <c>text</c>, <c>number</c>, <c>address</c>, <c>phone</c>, <c>date</c>, <c>url</c>, <c>imageurl</c>, <c>radio</c>, <c>dropdown</c>, <c>birthday</c>, <c>zip</c>.</param>
    public void AddMergeField(string listId, string tag, string type = "text")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        lock (Gate)
        {
            var list = ListOrThrow(listId);
            if (list.Fields.Any(f => f.Tag == tag))
            {
                throw new InvalidOperationException($"The list {listId} has a merge field {tag}.");
            }

            list.Fields.Add(new SimField(list.Fields.Max(f => f.MergeId) + 1, tag, tag, type));
        }
    }

    /// <summary>Makes a merge field required: a member without a value for it is refused ("Please enter a value").</summary>
    /// <param name="listId">The list.</param>
    /// <param name="tag">The merge field's tag.</param>
    public void RequireMergeField(string listId, string tag)
    {
        lock (Gate)
        {
            var field = ListOrThrow(listId).Fields.FirstOrDefault(f => f.Tag == tag) ?? throw new ArgumentException($"No merge field {tag} on {listId}.", nameof(tag));
            field.Required = true;
        }
    }

    /// <summary>Adds a journey whose step <paramref name="stepId"/> is a Customer Journeys API starting point on <paramref name="listId"/>.</summary>
    /// <param name="journeyId">The journey id.</param>
    /// <param name="stepId">The API-trigger step's id.</param>
    /// <param name="listId">The journey's audience.</param>
    public void AddJourney(string journeyId, string stepId, string listId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(journeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        lock (Gate)
        {
            ListOrThrow(listId);
            if (!_journeys.TryGetValue(journeyId, out var journey))
            {
                journey = new SimJourney(journeyId, listId);
                _journeys.Add(journeyId, journey);
            }

            journey.Steps[stepId] = true;
        }
    }

    /// <summary>Adds a step to a journey that is not an API starting point (an email, a delay): a trigger of it is refused.</summary>
    /// <param name="journeyId">A journey added with <see cref="AddJourney"/>.</param>
    /// <param name="stepId">The step's id.</param>
    public void AddJourneyStep(string journeyId, string stepId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        lock (Gate)
        {
            var journey = _journeys.GetValueOrDefault(journeyId) ?? throw new ArgumentException($"No journey {journeyId}.", nameof(journeyId));
            journey.Steps[stepId] = false;
        }
    }

    /// <summary>Adds a member as if it had been imported (no webhook event).</summary>
    /// <param name="listId">The list.</param>
    /// <param name="email">The address.</param>
    /// <param name="status"><c>subscribed</c>, <c>unsubscribed</c>, <c>cleaned</c>, <c>pending</c> or <c>transactional</c>.</param>
    public void AddMember(string listId, string email, string status = "subscribed")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        if (!Statuses.Contains(status))
        {
            throw new ArgumentException($"Unknown status {status}.", nameof(status));
        }

        lock (Gate)
        {
            var list = ListOrThrow(listId);
            var hash = SubscriberHashOf(email);
            if (!list.Members.ContainsKey(hash))
            {
                list.Members[hash] = NewMember(list, email.Trim(), status);
            }
        }
    }

    /// <summary>A member as the API renders it, or <see langword="null"/>.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="email">The address (any case).</param>
    /// <returns>A copy of the member's JSON.</returns>
    public JsonObject? Member(string listId, string email) => Locked(() =>
        _lists.TryGetValue(listId, out var list) && list.Members.TryGetValue(SubscriberHashOf(email), out var member) ? MemberJson(list, member) : null);

    /// <summary>Unsubscribes a member as if the contact had clicked the unsubscribe link (source <c>user</c>), for webhook tests.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="email">The address.</param>
    public void Unsubscribe(string listId, string email)
    {
        lock (Gate)
        {
            var list = ListOrThrow(listId);
            var member = list.Members.GetValueOrDefault(SubscriberHashOf(email)) ?? throw new ArgumentException($"{email} is not on {listId}.", nameof(email));
            member.Status = "unsubscribed";
            member.LastChanged = Time.GetUtcNow();
            RecordEvent(list, member, "unsubscribe", "user", null);
        }
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        foreach (var method in new[] { "GET", "POST", "PUT", "PATCH", "DELETE" })
        {
            Map(endpoints, method, "/3.0/{**rest}", ServeAsync);
        }

        Map(endpoints, "GET", "/batch-results/{file}", ServeBatchResultsAsync);
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) => status == StatusCodes.Status429TooManyRequests
        ? Answer(TooManyRequests())
        : Answer(Problem(status, "Service Unavailable", "The service is temporarily unavailable. Please try again later."));

    private async Task<IResult> ServeAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        int peak;
        while (inFlight > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak)
        {
        }

        try
        {
            var max = MaxConnections;
            if (max > 0 && inFlight > max)
            {
                Interlocked.Increment(ref _limited);
                return Answer(TooManyRequests());
            }

            var method = context.Request.Method;
            var path = "/" + ((string?)context.Request.RouteValues["rest"] ?? string.Empty);
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var endpoint = EndpointName(method, path);
            return await WithFaultsAsync(context, endpoint, async () =>
            {
                if (Authenticate(context.Request) is { } refused)
                {
                    return Answer(refused);
                }

                var result = await ExecuteAsync(method, path, query, body, "api", context.RequestAborted).ConfigureAwait(false);
                if (result.Status == StatusCodes.Status405MethodNotAllowed)
                {
                    context.Response.Headers.Allow = result.Allow ?? string.Empty;
                }

                return Answer(result);
            }).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private ApiResult? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return Problem(401, "API Key Missing", "Your request did not include an API key.");
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var value = space < 0 ? string.Empty : header[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Same(value, AccessToken) ? null : InvalidKey();
        }

        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return InvalidKey();
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return InvalidKey();
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var key = colon < 0 ? string.Empty : decoded[(colon + 1)..];
        if (key.Length == 0)
        {
            return Problem(401, "API Key Missing", "Your request did not include an API key.");
        }

        var dash = key.LastIndexOf('-');
        if (dash > 0 && !string.Equals(key[(dash + 1)..], DataCenter, StringComparison.Ordinal))
        {
            return Problem(403, "Wrong Datacenter", "The API key provided is linked to a different datacenter.");
        }

        return Same(key, ApiKey) ? null : InvalidKey();

        static ApiResult InvalidKey() => Problem(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private ApiResult TooManyRequests() => Problem(429, "Too Many Requests",
        $"You have exceeded the limit of {Math.Max(MaxConnections, 1)} simultaneous connections.");

    private static IResult Answer(ApiResult result)
    {
        if (result.Body is null)
        {
            return Results.StatusCode(result.Status);
        }

        var contentType = result.IsProblem ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8";
        return Results.Text(result.Body.ToJsonString(), contentType, Encoding.UTF8, result.Status);
    }

    /// <summary>A problem-details answer, as Mailchimp gives it.</summary>
    private static ApiResult Problem(int status, string title, string detail, IEnumerable<(string Field, string Message)>? errors = null)
    {
        var body = new JsonObject
        {
            ["type"] = ErrorTypeUrl,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = Guid.NewGuid().ToString(),
        };
        if (errors is not null)
        {
            body["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message })]);
        }

        return new ApiResult(status, body, IsProblem: true);
    }

    private static ApiResult Invalid(params (string Field, string Message)[] errors) =>
        Problem(400, "Invalid Resource", "The resource submitted could not be validated. For field-specific details, see the 'errors' array.", errors);

    private static ApiResult NotFound() => Problem(404, "Resource Not Found", "The requested resource could not be found.");

    private static ApiResult Ok(JsonNode body) => new(200, body, IsProblem: false);

    private SimList ListOrThrow(string listId) =>
        _lists.GetValueOrDefault(listId) ?? throw new ArgumentException($"No list {listId} on the simulator.", nameof(listId));

    /// <summary>Mailchimp's subscriber hash: MD5 of the lower-cased address, lower-case hex (from the API reference).</summary>
#pragma warning disable CA5351 // MD5 is the platform's documented member id, not a security measure.
    private static string SubscriberHashOf(string email) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    private static string ShortId(string seed) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(seed)))[..10];
#pragma warning restore CA5351

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>What an API call answered (status, JSON body or none, whether it is a problem).</summary>
    private sealed record ApiResult(int Status, JsonNode? Body, bool IsProblem)
    {
        public string? Allow { get; init; }
    }
}
