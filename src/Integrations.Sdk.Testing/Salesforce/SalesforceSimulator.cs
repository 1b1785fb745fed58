using Integrations.Sdk.Testing.Crm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>
/// A stateful fake of a Salesforce org on 127.0.0.1, for tests and samples: the OAuth 2.0 token endpoint (JWT bearer
/// and client credentials), the REST API's SOQL <c>query</c>/<c>queryAll</c> with paging, sObject rows (create, read,
/// update, upsert by external id, delete), sObject Collections and Composite, the daily API limit and outbound
/// messages. Written from Salesforce's documentation and its published Postman collection; it speaks HTTP, JSON and
/// SOAP only (it does not use the Salesforce connector package).
/// </summary>
/// <remarks>
/// <para><b>Tokens</b>: <c>POST /services/oauth2/token</c> [<c>token</c>] with <c>grant_type</c>
/// <c>urn:ietf:params:oauth:grant-type:jwt-bearer</c> (an RS256 <c>assertion</c> signed by the key whose public half is
/// <see cref="JwtPublicKeyPem"/>, <c>iss</c> = <see cref="ClientId"/>, <c>sub</c> = <see cref="Username"/>, <c>aud</c>
/// the login host, <c>exp</c> not passed) or <c>client_credentials</c> (<see cref="ClientId"/> and
/// <see cref="ClientSecret"/> in the form or as HTTP Basic). The answer carries <c>access_token</c>,
/// <c>instance_url</c> (= <see cref="SimulatorHost.BaseAddress"/>), <c>id</c>, <c>token_type</c>, <c>issued_at</c>
/// and <c>signature</c>, and no <c>expires_in</c>: a session ends after <see cref="SessionIdleTimeout"/> without use
/// or <see cref="SessionMaxLifetime"/> after it began (on the simulator's clock), answered 401
/// <c>INVALID_SESSION_ID</c>.</para>
/// <para><b>REST API</b> under <c>/services/data/vNN.0/</c> (versions 20.0 to 67.0), each call served through
/// <see cref="SimulatorHost.Faults"/> under the name in brackets: <c>query</c> and <c>queryAll</c> [<c>query</c>], the
/// next batch <c>query/{locator}-{offset}</c> [<c>query.more</c>], <c>sobjects/{Object}</c> POST
/// [<c>sobject.create</c>], <c>sobjects/{Object}/{id}</c> GET, PATCH, DELETE [<c>sobject.get</c>,
/// <c>sobject.update</c>, <c>sobject.delete</c>], <c>sobjects/{Object}/{Field}/{value}</c> GET and PATCH
/// [<c>sobject.get</c>, <c>sobject.upsert</c>], <c>composite/sobjects</c> POST and PATCH
/// [<c>composite.sobjects</c>], <c>composite</c> POST [<c>composite</c>] and <c>limits</c> GET [<c>limits</c>].
/// Every answer carries <c>Sforce-Limit-Info: api-usage=N/M</c>; past <see cref="DailyApiLimit"/> calls in 24 hours the
/// answer is 403 <c>REQUEST_LIMIT_EXCEEDED</c>. Errors are Salesforce's array
/// <c>[{"message","errorCode","fields"}]</c>.</para>
/// <para><b>Data</b>: Opportunity (its <c>IsWon</c>/<c>IsClosed</c> from the <c>OpportunityStage</c> it is in),
/// OpportunityContactRole, Contact, Account, User and OpportunityStage. <c>SystemModstamp</c> has a resolution of one
/// second, so records changed within the same second share it (on a fake clock, every change until the test advances
/// it).</para>
/// <para><b>Outbound messages</b>: with <see cref="OutboundMessageEndpoint"/> set, each change of an opportunity's
/// stage queues a notification; <see cref="DeliverOutboundMessagesAsync"/> posts the queued ones as a SOAP
/// <c>notifications</c> message and keeps every one not acknowledged with <c>&lt;Ack&gt;true&lt;/Ack&gt;</c>, to be
/// sent again with the same notification id.</para>
/// </remarks>
public sealed partial class SalesforceSimulator : SimulatorHost
{
    private const string StandardProcess = "Standard";
    private readonly Dictionary<string, List<SfRecord>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SfRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dealPipelines = new(StringComparer.Ordinal);
    private readonly string _integrationUserId;

    /// <summary>Creates the simulator (not started), with the standard opportunity stages and one integration user.</summary>
    /// <param name="timeProvider">The org's clock: sessions, the daily limit, timestamps. The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public SalesforceSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        foreach (var name in SalesforceSchema.Objects.Keys)
        {
            _records[name] = [];
        }

        OrganizationId = NewId("00D");
        _integrationUserId = AddUser("Integration", "User", Username);
        SeedStages();
    }

    /// <inheritdoc />
    public override string Platform => "salesforce";

    /// <summary>The connected app's consumer key: the JWT's <c>iss</c> and the client-credentials <c>client_id</c>. <value>Default: <c>3MVG9SimulatedConsumerKey</c>.</value></summary>
    public string ClientId { get; set; } = "3MVG9SimulatedConsumerKey";

    /// <summary>The connected app's consumer secret (client credentials; signs the token answer's <c>signature</c>). <value>Default: <c>sim-consumer-secret</c>.</value></summary>
    public string ClientSecret { get; set; } = "sim-consumer-secret";

    /// <summary>
    /// The public key (<c>PUBLIC KEY</c> or <c>RSA PUBLIC KEY</c> PEM) or certificate (<c>CERTIFICATE</c> PEM) uploaded
    /// to the connected app: JWT bearer assertions must be signed (RS256) by its private half. <value>Default:
    /// <see langword="null"/>: every JWT assertion is refused.</value>
    /// </summary>
    public string? JwtPublicKeyPem { get; set; }

    /// <summary>The integration user's username: the JWT's <c>sub</c>. <value>Default: <c>integration@sim.example.com</c>.</value></summary>
    public string Username { get; set; } = "integration@sim.example.com";

    /// <summary>The org's 18-character id (<c>00D...</c>), sent in outbound messages and in the token answer's <c>id</c>.</summary>
    public string OrganizationId { get; }

    /// <summary>A session ends after this long without a call (Salesforce's session timeout setting). <value>Default: 2 hours, Salesforce's default.</value></summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after it began, however busy; <see langword="null"/> for no such limit. <value>Default: <see langword="null"/>.</value></summary>
    public TimeSpan? SessionMaxLifetime { get; set; }

    /// <summary>API calls allowed in 24 hours (the org's daily request limit); below 1 for no limit. <value>Default: 15,000 (a Developer Edition org).</value></summary>
    public int DailyApiLimit { get; set; } = 15_000;

    /// <summary>The token endpoint (<c>{BaseAddress}services/oauth2/token</c>).</summary>
    public Uri TokenEndpoint => new(BaseAddress, "services/oauth2/token");

    /// <summary>The number of opportunities (deleted ones excluded).</summary>
    public int DealCount => Locked(() => _records["Opportunity"].Count(r => !r.IsDeleted));

    /// <summary>
    /// Seeds a deal as an opportunity in the first open stage of its pipeline (<c>Prospecting</c> for pipeline 0,
    /// <c>Discovery</c> for pipeline 1, whose won stage is <c>Signed</c>), with its account, owner (a user) and
    /// contacts (a contact whose email is in the org already is reused), each linked by an OpportunityContactRole,
    /// the first one primary.
    /// </summary>
    /// <param name="deal">The deal.</param>
    /// <returns>The opportunity's 18-character id.</returns>
    public string AddDeal(SimulatedDeal deal)
    {
        ArgumentNullException.ThrowIfNull(deal);
        ArgumentOutOfRangeException.ThrowIfNegative(deal.Pipeline);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(deal.Pipeline, 1);
        lock (Gate)
        {
            var ownerId = _integrationUserId;
            if (!string.IsNullOrWhiteSpace(deal.Owner))
            {
                var existing = _records["User"].Find(u => string.Equals(Text(u, "Name"), deal.Owner.Trim(), StringComparison.OrdinalIgnoreCase));
                if (existing is not null)
                {
                    ownerId = existing.Id;
                }
                else
                {
                    var parts = deal.Owner.Trim().Split(' ', 2);
                    var last = parts.Length == 2 ? parts[1] : parts[0];
                    var first = parts.Length == 2 ? parts[0] : null;
                    ownerId = AddUser(first, last, $"{(first ?? last).ToLowerInvariant()}.{last.ToLowerInvariant().Replace(' ', '.')}@sim.example.com");
                }
            }

            string? accountId = null;
            if (!string.IsNullOrWhiteSpace(deal.Company))
            {
                accountId = _records["Account"].Find(a => !a.IsDeleted && string.Equals(Text(a, "Name"), deal.Company.Trim(), StringComparison.OrdinalIgnoreCase))?.Id
                    ?? Insert("Account", new() { ["Name"] = deal.Company.Trim(), ["OwnerId"] = ownerId }).Id;
            }

            var stage = FirstOpenStage(deal.Pipeline);
            var fields = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Name"] = deal.Name,
                ["StageName"] = stage,
                ["CloseDate"] = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Amount"] = deal.Amount is { } amount ? JsonValue.Create(amount) : null,
                ["AccountId"] = accountId,
                ["OwnerId"] = ownerId,
            };
            var opportunity = Insert("Opportunity", fields);
            _dealPipelines[opportunity.Id] = deal.Pipeline;
            for (var i = 0; i < deal.Contacts.Count; i++)
            {
                var contact = deal.Contacts[i];
                var contactId = contact.Email is { Length: > 0 } email
                    ? _records["Contact"].Find(c => !c.IsDeleted && string.Equals(Text(c, "Email"), email.Trim(), StringComparison.OrdinalIgnoreCase))?.Id
                    : null;
                contactId ??= Insert("Contact", new()
                {
                    ["FirstName"] = contact.FirstName,
                    ["LastName"] = contact.LastName,
                    ["Email"] = contact.Email?.Trim(),
                    ["AccountId"] = accountId,
                    ["OwnerId"] = ownerId,
                }).Id;
                if (_records["OpportunityContactRole"].Exists(r => !r.IsDeleted && Text(r, "OpportunityId") == opportunity.Id && Text(r, "ContactId") == contactId))
                {
                    continue;
                }

                Insert("OpportunityContactRole", new()
                {
                    ["OpportunityId"] = opportunity.Id,
                    ["ContactId"] = contactId,
                    ["Role"] = i == 0 ? "Decision Maker" : "Business User",
                    ["IsPrimary"] = i == 0,
                });
            }

            return opportunity.Id;
        }
    }

    /// <summary>
    /// Moves a deal to its pipeline's first open, won or lost stage, as a salesperson would: <c>IsWon</c>,
    /// <c>IsClosed</c>, <c>Probability</c>, <c>LastModifiedDate</c> and <c>SystemModstamp</c> follow (the stamps from
    /// the simulator's clock, to the second), and an outbound message is queued when
    /// <see cref="OutboundMessageEndpoint"/> is set and the stage changed.
    /// </summary>
    /// <param name="dealId">The opportunity's id (15 or 18 characters).</param>
    /// <param name="outcome">Where to move it.</param>
    /// <exception cref="KeyNotFoundException">No such opportunity.</exception>
    public void SetDealOutcome(string dealId, SimulatedDealOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        lock (Gate)
        {
            var record = Find(dealId);
            if (record is null || record.Type != "Opportunity" || record.IsDeleted)
            {
                throw new KeyNotFoundException($"No opportunity {dealId}.");
            }

            var pipeline = _dealPipelines.GetValueOrDefault(record.Id);
            var stage = outcome switch
            {
                SimulatedDealOutcome.Won => pipeline == 1 ? "Signed" : "Closed Won",
                SimulatedDealOutcome.Lost => "Closed Lost",
                _ => FirstOpenStage(pipeline),
            };
            Change(record, new(StringComparer.OrdinalIgnoreCase) { ["StageName"] = stage }, _integrationUserId);
        }
    }

    /// <summary>A copy of a record's fields as the REST API would show them (deleted records included), or <see langword="null"/>.</summary>
    /// <param name="id">The record's id (15 or 18 characters).</param>
    /// <returns>The fields, by API name.</returns>
    public JsonObject? Record(string id) => Locked(() => Find(id) is { } record ? Plain(record) : null);

    /// <summary>Copies of the records of an sObject type (deleted ones included), in creation order.</summary>
    /// <param name="sobject">The type, for example <c>Contact</c>.</param>
    /// <returns>Each record's fields, by API name.</returns>
    public IReadOnlyList<JsonObject> Records(string sobject) =>
        Locked(() => _records.TryGetValue(sobject, out var list) ? list.Select(Plain).ToList() : []);

    /// <summary>Ends every session now, as an administrator's "revoke" or an org-wide logout does: the next call with any access token is answered 401 <c>INVALID_SESSION_ID</c>.</summary>
    public void ExpireSessions()
    {
        lock (Gate)
        {
            _sessions.Clear();
        }
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "POST", "/services/oauth2/token", TokenAsync);
        foreach (var method in new[] { "GET", "POST", "PATCH", "DELETE" })
        {
            Map(endpoints, method, "/services/data/{**rest}", RestAsync);
        }

        endpoints.MapFallback("{**path}", UnknownRoute);
    }

    private static JsonObject Plain(SfRecord record) => new(record.Fields.Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())));

    private static string? Text(SfRecord record, string field) =>
        record.Fields.GetValueOrDefault(field) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The stamp Salesforce writes: to the second, shown with <c>.000+0000</c>.</summary>
    internal static string Stamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + ".000+0000";

    private string AddUser(string? first, string last, string username) => Insert("User", new()
    {
        ["Username"] = username,
        ["FirstName"] = first,
        ["LastName"] = last,
        ["Email"] = username,
        ["Alias"] = (first?[..1] ?? string.Empty) + last[..Math.Min(4, last.Length)],
        ["IsActive"] = true,
    }).Id;

    /// <summary>A new 18-character id with the object's key prefix (15 case-sensitive characters and the 3-character case-safe suffix).</summary>
    private string NewId(string prefix)
    {
        const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var n = _counters[prefix] = _counters.GetValueOrDefault(prefix) + 1;
        var body = new char[10];
        for (var i = body.Length - 1; i >= 0; i--)
        {
            body[i] = Digits[(int)(n % 62)];
            n /= 62;
        }

        return WithSuffix(prefix + "5g" + new string(body));
    }

    /// <summary>Salesforce's case-safe suffix: for each 5-character chunk, a bit per upper-case letter, as a character of A–Z0–5.</summary>
    internal static string WithSuffix(string id15)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        var suffix = new char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (id15[(chunk * 5) + i] is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = Alphabet[bits];
        }

        return id15 + new string(suffix);
    }

    /// <summary>Finds a record by its 18-character id, or by its 15-character (case-sensitive) form.</summary>
    private SfRecord? Find(string id)
    {
        if (id.Length == 18)
        {
            return _byId.GetValueOrDefault(id) ?? (IsIdShape(id) && string.Equals(WithSuffix(id[..15])[15..], id[15..], StringComparison.OrdinalIgnoreCase) ? _byId.GetValueOrDefault(WithSuffix(id[..15])) : null);
        }

        return id.Length == 15 ? _byId.GetValueOrDefault(WithSuffix(id)) : null;
    }

    private static bool IsIdShape(string id) => id.Length is 15 or 18 && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>A record of the org: its type, id and fields (JSON values as the REST API shows them).</summary>
    private sealed class SfRecord(string type, string id, Dictionary<string, JsonNode?> fields)
    {
        public string Type { get; } = type;

        public string Id { get; } = id;

        public Dictionary<string, JsonNode?> Fields { get; } = fields;

        public bool IsDeleted => Fields.GetValueOrDefault("IsDeleted") is JsonValue v && v.TryGetValue<bool>(out var deleted) && deleted;

        public SfRecord Clone() => new(Type, Id, new Dictionary<string, JsonNode?>(Fields.Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())), StringComparer.OrdinalIgnoreCase));
    }
}
