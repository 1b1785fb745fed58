using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Conformance;
using Integrations.Sdk.Testing.Crm;
using Integrations.Sdk.Testing.Salesforce;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Salesforce.Tests.Simulator;

/// <summary>
/// The Salesforce simulator on the wire, with a raw <see cref="HttpClient"/> (never the connector): OAuth flows,
/// sessions, SOQL and its paging, sObject writes, collections, composite, limits, outbound messages, faults. Every
/// simulator here runs in <see cref="ConformanceMode.Enforce"/> (the default) unless a test says otherwise, so
/// disposing it proves each exchange passed the Postman-collection check.
/// </summary>
public sealed class SalesforceSimulatorTests : IAsyncLifetime
{
    private const string Api = "services/data/v67.0/";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
    private readonly SalesforceSimulator _sf;
    private HttpClient _http = null!;

    public SalesforceSimulatorTests() => _sf = new SalesforceSimulator(_time);

    public async Task InitializeAsync()
    {
        await _sf.StartAsync();
        _http = new HttpClient { BaseAddress = _sf.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sf.DisposeAsync();
    }

    [Fact]
    public async Task JwtBearer_SignedByTheUploadedKey_GivesASessionOnTheSimulatorsInstance_WithoutExpiresIn()
    {
        using var key = RSA.Create(2048);
        _sf.JwtPublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        _sf.Username = "svc-integration@example.com";

        var (status, body) = await TokenAsync(Jwt(key, _sf.ClientId, _sf.Username, "https://login.salesforce.com", _time.GetUtcNow().AddMinutes(3)));

        status.Should().Be(HttpStatusCode.OK);
        body["instance_url"]!.GetValue<string>().Should().Be(_sf.BaseAddress.ToString().TrimEnd('/'));
        body["token_type"]!.GetValue<string>().Should().Be("Bearer");
        body["id"]!.GetValue<string>().Should().Contain(_sf.OrganizationId);
        body["issued_at"]!.GetValue<string>().Should().Be(_time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        body.AsObject().ContainsKey("signature").Should().BeTrue();
        body.AsObject().ContainsKey("expires_in").Should().BeFalse("Salesforce's token answer carries no expiry");
        body.AsObject().ContainsKey("refresh_token").Should().BeFalse();
        _sf.OrganizationId.Should().HaveLength(18).And.StartWith("00D");

        using var request = new HttpRequestMessage(HttpMethod.Get, Api + "limits");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body["access_token"]!.GetValue<string>());
        using var answer = await _http.SendAsync(request);
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task JwtBearer_RefusesAnotherKey_AnotherAudience_AnExpiredAssertion_AnotherApp_AnotherUser()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        _sf.JwtPublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        var exp = _time.GetUtcNow().AddMinutes(3);

        (await TokenAsync(Jwt(other, _sf.ClientId, _sf.Username, "https://login.salesforce.com", exp))).Body.ToJsonString()
            .Should().Be("""{"error":"invalid_grant","error_description":"invalid assertion"}""");
        (await TokenAsync(Jwt(key, _sf.ClientId, _sf.Username, "https://example.com", exp))).Body["error_description"]!.GetValue<string>().Should().Be("audience is invalid");
        (await TokenAsync(Jwt(key, _sf.ClientId, _sf.Username, "https://login.salesforce.com", _time.GetUtcNow().AddSeconds(-1)))).Body["error"]!.GetValue<string>().Should().Be("invalid_grant");
        (await TokenAsync(Jwt(key, "someone-else", _sf.Username, "https://login.salesforce.com", exp))).Body["error"]!.GetValue<string>().Should().Be("invalid_client_id");
        var (status, body) = await TokenAsync(Jwt(key, _sf.ClientId, "nobody@example.com", "https://login.salesforce.com", exp));
        status.Should().Be(HttpStatusCode.BadRequest);
        body["error"]!.GetValue<string>().Should().Be("invalid_grant");
        _sf.TokensIssued.Should().Be(0);
    }

    [Fact]
    public async Task Session_ExpiresAfterTheIdleTimeout_With401InvalidSessionId_AndEveryAnswerCarriesTheLimitInfo()
    {
        _sf.SessionIdleTimeout = TimeSpan.FromMinutes(15);
        var token = await ClientCredentialsAsync();

        using (var ok = await SendAsync(HttpMethod.Get, Api + "limits", token: token))
        {
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
            ok.Headers.GetValues("Sforce-Limit-Info").Single().Should().Be("api-usage=1/15000");
        }

        _time.Advance(TimeSpan.FromMinutes(14));
        (await SendAsync(HttpMethod.Get, Api + "limits", token: token)).StatusCode.Should().Be(HttpStatusCode.OK, "each call moves the idle timer");
        _time.Advance(TimeSpan.FromMinutes(16));
        using var expired = await SendAsync(HttpMethod.Get, Api + "limits", token: token);

        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await expired.Content.ReadAsStringAsync()).Should().Be("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID","fields":[]}]""");
        expired.Headers.Contains("Sforce-Limit-Info").Should().BeTrue();
    }

    [Fact]
    public async Task ClientCredentials_RefusesAWrongSecret()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = _sf.ClientId, ["client_secret"] = "wrong" });
        using var answer = await _http.PostAsync("services/oauth2/token", form);

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!.GetValue<string>().Should().Be("invalid_client");
    }

    [Fact]
    public async Task Soql_ReadsOpportunitiesWithParentFields_FiltersOnStamps_AndOrdersBySystemModstampThenId()
    {
        var token = await ClientCredentialsAsync();
        var first = _sf.AddDeal(Deal("Alpha", company: "Acme", owner: "Olga Owner"));
        var second = _sf.AddDeal(Deal("Beta", company: "Acme", pipeline: 1));
        _time.Advance(TimeSpan.FromMilliseconds(1200));
        _sf.SetDealOutcome(second, SimulatedDealOutcome.Won);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _sf.SetDealOutcome(first, SimulatedDealOutcome.Won);

        var page = await QueryAsync(token,
            "SELECT Id, Name, StageName, IsWon, IsClosed, Amount, CloseDate, SystemModstamp, Account.Name, Owner.Name FROM Opportunity "
            + "WHERE SystemModstamp >= 2026-12-06T03:00:01Z AND (IsWon = true OR StageName = 'Closed Lost') ORDER BY SystemModstamp, Id");

        page["totalSize"]!.GetValue<int>().Should().Be(2);
        page["done"]!.GetValue<bool>().Should().BeTrue();
        var records = page["records"]!.AsArray();
        records.Select(r => r!["Id"]!.GetValue<string>()).Should().Equal(new[] { first, second }.Order(StringComparer.Ordinal), "both share one stamp, so the Id breaks the tie");
        records.Select(r => r!["SystemModstamp"]!.GetValue<string>()).Should().AllBe("2026-12-06T03:00:01.000+0000", "stamps have second resolution and are shared");
        var alpha = records.Single(r => r!["Id"]!.GetValue<string>() == first)!;
        alpha["attributes"]!["type"]!.GetValue<string>().Should().Be("Opportunity");
        alpha["attributes"]!["url"]!.GetValue<string>().Should().Be($"/services/data/v67.0/sobjects/Opportunity/{first}");
        alpha["StageName"]!.GetValue<string>().Should().Be("Closed Won");
        alpha["Account"]!["Name"]!.GetValue<string>().Should().Be("Acme");
        alpha["Owner"]!["Name"]!.GetValue<string>().Should().Be("Olga Owner");
        alpha["Amount"]!.GetValue<decimal>().Should().Be(1200m);
        var beta = records.Single(r => r!["Id"]!.GetValue<string>() == second)!;
        beta["StageName"]!.GetValue<string>().Should().Be("Signed", "pipeline 1's won stage has a made-up label");
        beta["IsWon"]!.GetValue<bool>().Should().BeTrue();
        beta["IsClosed"]!.GetValue<bool>().Should().BeTrue();
        first.Should().HaveLength(18).And.StartWith("006");
        _sf.DealCount.Should().Be(2);

        // The same instant written +0000 (URL-encoded) selects the same rows; the stages' metadata says which are won.
        (await QueryAsync(token, "SELECT Id FROM Opportunity WHERE SystemModstamp > 2026-12-06T03:00:00.000+0000"))["totalSize"]!.GetValue<int>().Should().Be(2);
        var stages = await QueryAsync(token, "SELECT ApiName, IsWon, IsClosed FROM OpportunityStage WHERE IsWon = true ORDER BY ApiName DESC");
        stages["records"]!.AsArray().Select(r => r!["ApiName"]!.GetValue<string>()).Should().Equal("Signed", "Closed Won");
    }

    [Fact]
    public async Task Soql_ContactRoles_PrimaryFirst_ContactsWithoutEmailIncluded_AndAKnownEmailReused()
    {
        var token = await ClientCredentialsAsync();
        var deal = _sf.AddDeal(Deal("Gamma", contacts: [new("Ada", "Lovelace", "ada@example.com"), new("No", "Mail", null)]));
        _sf.AddDeal(Deal("Delta", contacts: [new("Ada", "L.", "ADA@example.com")]));

        var page = await QueryAsync(token, $"SELECT ContactId, IsPrimary, Role, Contact.Email, Contact.FirstName, Contact.LastName FROM OpportunityContactRole WHERE OpportunityId = '{deal}' ORDER BY IsPrimary DESC, Contact.LastName");

        var rows = page["records"]!.AsArray();
        rows.Should().HaveCount(2);
        rows[0]!["IsPrimary"]!.GetValue<bool>().Should().BeTrue();
        rows[0]!["Contact"]!["Email"]!.GetValue<string>().Should().Be("ada@example.com");
        rows[1]!["Contact"]!["Email"].Should().BeNull("a contact may have no email");
        rows[1]!["Contact"]!["FirstName"]!.GetValue<string>().Should().Be("No");
        _sf.Records("Contact").Should().HaveCount(2, "the second deal's contact is the existing one (same email)");
        (await QueryAsync(token, "SELECT Id FROM Contact WHERE Email LIKE 'ada@%' AND Email IN ('ada@example.com', 'x@example.com')"))["totalSize"]!.GetValue<int>().Should().Be(1);
        (await QueryAsync(token, $"SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '{deal[..15]}'"))["totalSize"]!.GetValue<int>().Should().Be(2, "a 15-character id matches too");
    }

    [Theory]
    [InlineData("SELECT Id, Colour FROM Opportunity", "INVALID_FIELD", "No such column 'Colour' on entity 'Opportunity'")]
    [InlineData("SELECT Id FROM Opportunity WHERE Account.Colour = 'x'", "INVALID_FIELD", "No such column 'Colour' on entity 'Account'")]
    [InlineData("SELECT Id FROM Opportunity WHERE SystemModstamp > '2026-12-06T03:00:00Z'", "INVALID_FIELD", "must be of type dateTime and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Opportunity WHERE IsWon = true AND IsClosed = true OR Amount > 5", "MALFORMED_QUERY", "unexpected token: 'OR'")]
    [InlineData("SELECT Id FROM Opportunity WHERE Name = 'unterminated", "MALFORMED_QUERY", "unterminated")]
    [InlineData("SELECT Id FROM Opportunity ORDER BY", "MALFORMED_QUERY", "unexpected token: '<EOF>'")]
    [InlineData("SELECT Id FROM Widget", "INVALID_TYPE", "sObject type 'Widget' is not supported")]
    public async Task Soql_RefusesUnknownFieldsAndMalformedStatements_With400AndTheErrorArray(string soql, string code, string message)
    {
        var token = await ClientCredentialsAsync();

        using var answer = await SendAsync(HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString(soql), token: token);

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!.AsArray().Single()!;
        error["errorCode"]!.GetValue<string>().Should().Be(code);
        error["message"]!.GetValue<string>().Should().Contain(message);
    }

    [Fact]
    public async Task Soql_StringEscapes_AreRead()
    {
        var token = await ClientCredentialsAsync();
        _sf.AddDeal(Deal("O'Brien \\ Co"));

        (await QueryAsync(token, "SELECT Name FROM Opportunity WHERE Name = 'O\\'Brien \\\\ Co'"))["totalSize"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Query_PagesInBatches_FollowingNextRecordsUrl_UntilDone()
    {
        var token = await ClientCredentialsAsync();
        for (var i = 0; i < 450; i++)
        {
            _sf.AddDeal(new SimulatedDeal { Name = $"Deal {i:000}", Contacts = [] });
        }

        var seen = new List<string>();
        var url = Api + "query?q=" + Uri.EscapeDataString("SELECT Id, Name FROM Opportunity ORDER BY Name");
        var pages = 0;
        string? firstNext = null;
        while (true)
        {
            using var answer = await SendAsync(HttpMethod.Get, url, token: token, headers: new() { ["Sforce-Query-Options"] = "batchSize=200" });
            answer.StatusCode.Should().Be(HttpStatusCode.OK);
            var page = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            page["totalSize"]!.GetValue<int>().Should().Be(450);
            seen.AddRange(page["records"]!.AsArray().Select(r => r!["Name"]!.GetValue<string>()));
            pages++;
            if (page["done"]!.GetValue<bool>())
            {
                page.AsObject().ContainsKey("nextRecordsUrl").Should().BeFalse();
                break;
            }

            var next = page["nextRecordsUrl"]!.GetValue<string>();
            next.Should().MatchRegex("^/services/data/v67\\.0/query/01g[0-9A-Za-z]{15}-[0-9]+$");
            firstNext ??= next;
            url = next.TrimStart('/');
        }

        pages.Should().Be(3);
        seen.Should().HaveCount(450).And.BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        firstNext.Should().EndWith("-200");

        using var again = await SendAsync(HttpMethod.Get, firstNext!.TrimStart('/'), token: token);
        again.StatusCode.Should().Be(HttpStatusCode.OK, "a batch can be asked for again while its locator lives (a retry)");
        using var bogus = await SendAsync(HttpMethod.Get, Api + "query/01g5g0000000ZZZZZZ-200", token: token);
        (await bogus.Content.ReadAsStringAsync()).Should().Contain("INVALID_QUERY_LOCATOR");
    }

    [Fact]
    public async Task SObjects_CreateGetUpdateDelete_AndQueryAllSeesTheDeleted()
    {
        var token = await ClientCredentialsAsync();
        var account = await SendJsonAsync(HttpMethod.Post, Api + "sobjects/Account", token, new JsonObject { ["Name"] = "Initech" });
        account.Status.Should().Be(HttpStatusCode.Created);
        var id = account.Body!["id"]!.GetValue<string>();
        account.Body["success"]!.GetValue<bool>().Should().BeTrue();
        account.Body["errors"]!.AsArray().Should().BeEmpty();

        var created = await SendJsonAsync(HttpMethod.Post, Api + "sobjects/Opportunity", token, new JsonObject
        {
            ["Name"] = "Big one", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-12-31", ["AccountId"] = id, ["Amount"] = 5000,
        });
        created.Status.Should().Be(HttpStatusCode.Created);
        var opportunity = created.Body!["id"]!.GetValue<string>();
        (await SendJsonAsync(HttpMethod.Patch, Api + $"sobjects/Opportunity/{opportunity}", token, new JsonObject { ["StageName"] = "Closed Lost" })).Status.Should().Be(HttpStatusCode.NoContent);
        var read = await SendJsonAsync(HttpMethod.Get, Api + $"sobjects/Opportunity/{opportunity}", token);
        read.Body!["IsClosed"]!.GetValue<bool>().Should().BeTrue();
        read.Body["IsWon"]!.GetValue<bool>().Should().BeFalse();

        var missing = await SendJsonAsync(HttpMethod.Post, Api + "sobjects/Opportunity", token, new JsonObject { ["Name"] = "No stage" });
        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.Body![0]!["errorCode"]!.GetValue<string>().Should().Be("REQUIRED_FIELD_MISSING");
        missing.Body[0]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("StageName", "CloseDate");
        (await SendJsonAsync(HttpMethod.Patch, Api + $"sobjects/Opportunity/{opportunity}", token, new JsonObject { ["StageName"] = "Nearly won" })).Body![0]!["errorCode"]!.GetValue<string>()
            .Should().Be("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        (await SendJsonAsync(HttpMethod.Patch, Api + $"sobjects/Opportunity/{opportunity}", token, new JsonObject { ["IsWon"] = true })).Body![0]!["errorCode"]!.GetValue<string>()
            .Should().Be("INVALID_FIELD_FOR_INSERT_UPDATE");

        (await SendJsonAsync(HttpMethod.Delete, Api + $"sobjects/Opportunity/{opportunity}", token)).Status.Should().Be(HttpStatusCode.NoContent);
        (await SendJsonAsync(HttpMethod.Get, Api + $"sobjects/Opportunity/{opportunity}", token)).Body![0]!["errorCode"]!.GetValue<string>().Should().Be("ENTITY_IS_DELETED");
        (await QueryAsync(token, "SELECT Id FROM Opportunity"))["totalSize"]!.GetValue<int>().Should().Be(0);
        using var all = await SendAsync(HttpMethod.Get, Api + "queryAll?q=" + Uri.EscapeDataString("SELECT Id, IsDeleted FROM Opportunity"), token: token);
        JsonNode.Parse(await all.Content.ReadAsStringAsync())!["records"]![0]!["IsDeleted"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Upsert_ByExternalId_Creates201_Updates200WithCreatedFalse_And204BeforeVersion46()
    {
        var token = await ClientCredentialsAsync();

        var first = await SendJsonAsync(HttpMethod.Patch, Api + "sobjects/Contact/External_Id__c/crm-42", token, new JsonObject { ["LastName"] = "Hopper", ["Email"] = "grace@example.com" });
        first.Status.Should().Be(HttpStatusCode.Created);
        first.Body!["created"]!.GetValue<bool>().Should().BeTrue();
        var id = first.Body["id"]!.GetValue<string>();

        var second = await SendJsonAsync(HttpMethod.Patch, Api + "sobjects/Contact/External_Id__c/crm-42", token, new JsonObject { ["FirstName"] = "Grace" });
        second.Status.Should().Be(HttpStatusCode.OK);
        second.Body!["created"]!.GetValue<bool>().Should().BeFalse();
        second.Body["id"]!.GetValue<string>().Should().Be(id);
        (await SendJsonAsync(HttpMethod.Patch, "services/data/v45.0/sobjects/Contact/External_Id__c/crm-42", token, new JsonObject { ["Title"] = "RADM" })).Status.Should().Be(HttpStatusCode.NoContent);

        _sf.Records("Contact").Should().ContainSingle();
        _sf.Record(id)!["Name"]!.GetValue<string>().Should().Be("Grace Hopper");
        (await SendJsonAsync(HttpMethod.Patch, Api + "sobjects/Contact/Email/grace@example.com", token, new JsonObject { ["LastName"] = "X" })).Status
            .Should().Be(HttpStatusCode.NotFound, "Email is not an external id field");
        (await SendJsonAsync(HttpMethod.Get, Api + "sobjects/Contact/External_Id__c/crm-42", token)).Body!["Id"]!.GetValue<string>().Should().Be(id);
    }

    [Fact]
    public async Task Collections_AllOrNone_RollsEverythingBack_OnOneFailure_ElseKeepsTheGoodOnes()
    {
        var token = await ClientCredentialsAsync();
        JsonObject Body(bool allOrNone) => new()
        {
            ["allOrNone"] = allOrNone,
            ["records"] = new JsonArray(
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["Name"] = "Good" },
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["FirstName"] = "No last name" }),
        };

        var rolledBack = await SendJsonAsync(HttpMethod.Post, Api + "composite/sobjects", token, Body(allOrNone: true));
        rolledBack.Status.Should().Be(HttpStatusCode.OK);
        rolledBack.Body![0]!["success"]!.GetValue<bool>().Should().BeFalse();
        rolledBack.Body[0]!["errors"]![0]!["statusCode"]!.GetValue<string>().Should().Be("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        rolledBack.Body[1]!["errors"]![0]!["statusCode"]!.GetValue<string>().Should().Be("REQUIRED_FIELD_MISSING");
        _sf.Records("Account").Should().BeEmpty();

        var partial = await SendJsonAsync(HttpMethod.Post, Api + "composite/sobjects", token, Body(allOrNone: false));
        partial.Body![0]!["success"]!.GetValue<bool>().Should().BeTrue();
        partial.Body[1]!["success"]!.GetValue<bool>().Should().BeFalse();
        var accountId = partial.Body[0]!["id"]!.GetValue<string>();
        _sf.Records("Account").Should().ContainSingle();

        var update = await SendJsonAsync(HttpMethod.Patch, Api + "composite/sobjects", token, new JsonObject
        {
            ["records"] = new JsonArray(new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["id"] = accountId, ["Name"] = "Better" }),
        });
        update.Body![0]!["success"]!.GetValue<bool>().Should().BeTrue();
        _sf.Record(accountId)!["Name"]!.GetValue<string>().Should().Be("Better");
    }

    [Fact]
    public async Task Composite_PassesReferencesBetweenSubrequests_AndCountsAsOneCall()
    {
        var token = await ClientCredentialsAsync();
        var usage = _sf.ApiUsage;

        var answer = await SendJsonAsync(HttpMethod.Post, Api + "composite", token, new JsonObject
        {
            ["allOrNone"] = true,
            ["compositeRequest"] = new JsonArray(
                new JsonObject { ["method"] = "POST", ["url"] = "/services/data/v67.0/sobjects/Account", ["referenceId"] = "acct", ["body"] = new JsonObject { ["Name"] = "Umbrella" } },
                new JsonObject { ["method"] = "POST", ["url"] = "/services/data/v67.0/sobjects/Contact", ["referenceId"] = "person", ["body"] = new JsonObject { ["LastName"] = "Wesker", ["AccountId"] = "@{acct.id}" } },
                new JsonObject { ["method"] = "GET", ["url"] = "/services/data/v67.0/sobjects/Contact/@{person.id}", ["referenceId"] = "read" }),
        });

        answer.Status.Should().Be(HttpStatusCode.OK);
        var responses = answer.Body!["compositeResponse"]!.AsArray();
        responses.Select(r => r!["httpStatusCode"]!.GetValue<int>()).Should().Equal(201, 201, 200);
        responses[2]!["body"]!["AccountId"]!.GetValue<string>().Should().Be(responses[0]!["body"]!["id"]!.GetValue<string>());
        _sf.ApiUsage.Should().Be(usage + 1);

        var failed = await SendJsonAsync(HttpMethod.Post, Api + "composite", token, new JsonObject
        {
            ["allOrNone"] = true,
            ["compositeRequest"] = new JsonArray(
                new JsonObject { ["method"] = "POST", ["url"] = "/services/data/v67.0/sobjects/Account", ["referenceId"] = "a", ["body"] = new JsonObject { ["Name"] = "Kept?" } },
                new JsonObject { ["method"] = "POST", ["url"] = "/services/data/v67.0/sobjects/Contact", ["referenceId"] = "b", ["body"] = new JsonObject { ["FirstName"] = "x" } }),
        });
        failed.Body!["compositeResponse"]![0]!["body"]![0]!["errorCode"]!.GetValue<string>().Should().Be("PROCESSING_HALTED");
        _sf.Records("Account").Should().ContainSingle("the rolled-back account is gone");
    }

    [Fact]
    public async Task DailyLimit_Spent_Is403RequestLimitExceeded()
    {
        _sf.DailyApiLimit = 2;
        _sf.SessionIdleTimeout = TimeSpan.FromDays(2);
        var token = await ClientCredentialsAsync();
        (await SendAsync(HttpMethod.Get, Api + "limits", token: token)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Get, Api + "limits", token: token)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var refused = await SendAsync(HttpMethod.Get, Api + "limits", token: token);

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"");
        refused.Headers.GetValues("Sforce-Limit-Info").Single().Should().Be("api-usage=2/2");
        _time.Advance(TimeSpan.FromHours(24));
        (await SendAsync(HttpMethod.Get, Api + "limits", token: token)).StatusCode.Should().Be(HttpStatusCode.OK, "the 24-hour window moved on");
    }

    [Fact]
    public async Task Faults_AreServedThroughTheFaultInjector_CommitThenDropKeepsTheWrite()
    {
        var token = await ClientCredentialsAsync();
        _sf.Faults.Add("query", FaultKind.ServerError);
        _sf.Faults.Add("sobject.create", FaultKind.CommitThenDrop);

        using var unavailable = await SendAsync(HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString("SELECT Id FROM Account"), token: token);
        unavailable.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await unavailable.Content.ReadAsStringAsync()).Should().Contain("SERVER_UNAVAILABLE");
        var dropped = () => SendJsonAsync(HttpMethod.Post, Api + "sobjects/Account", token, new JsonObject { ["Name"] = "Written" });
        await dropped.Should().ThrowAsync<HttpRequestException>();

        _sf.Records("Account").Should().ContainSingle(a => a["Name"]!.GetValue<string>() == "Written");
        _sf.Faults.InjectedTotal.Should().Be(2);
    }

    [Fact]
    public async Task OutboundMessages_AreResentWithTheSameNotificationId_UntilAckTrue()
    {
        var deal = _sf.AddDeal(Deal("Omega", company: "Acme"));
        _sf.OutboundMessageEndpoint = new Uri("https://receiver.example.test/webhooks/salesforce");
        _sf.SetDealOutcome(deal, SimulatedDealOutcome.Won);
        var receiver = new AckingHandler(["<not-soap/>", Ack(false), Ack(true)]);
        using var client = new HttpClient(receiver);

        (await _sf.DeliverOutboundMessagesAsync(client)).Should().Be(0);
        (await _sf.DeliverOutboundMessagesAsync(client)).Should().Be(0);
        (await _sf.DeliverOutboundMessagesAsync(client)).Should().Be(1);
        (await _sf.DeliverOutboundMessagesAsync(client)).Should().Be(0, "nothing is pending");

        _sf.OutboundMessageDeliveries.Should().Be(3);
        _sf.OutboundMessageAcks.Should().Be(1);
        _sf.OutboundNotificationsPending.Should().Be(0);
        _sf.OutboundNotificationsResent.Should().Be(1);
        receiver.Bodies.Should().HaveCount(3);
        XNamespace o = "http://soap.sforce.com/2005/09/outbound";
        XNamespace sf = "urn:sobject.enterprise.soap.sforce.com";
        var ids = receiver.Bodies.Select(b => XDocument.Parse(b).Descendants(o + "Notification").Single().Element(o + "Id")!.Value).Distinct().ToList();
        ids.Should().ContainSingle().Which.Should().StartWith("04l");
        var message = XDocument.Parse(receiver.Bodies[0]).Descendants(o + "notifications").Single();
        message.Element(o + "OrganizationId")!.Value.Should().Be(_sf.OrganizationId);
        message.Element(o + "ActionId")!.Value.Should().StartWith("04k");
        var sobject = message.Element(o + "Notification")!.Element(o + "sObject")!;
        sobject.Attribute(XName.Get("type", "http://www.w3.org/2001/XMLSchema-instance"))!.Value.Should().Be("sf:Opportunity");
        sobject.Element(sf + "Id")!.Value.Should().Be(deal);
        sobject.Element(sf + "StageName")!.Value.Should().Be("Closed Won");
        sobject.Element(sf + "IsWon")!.Value.Should().Be("true");
        receiver.ContentTypes.Should().AllBe("text/xml; charset=utf-8");
    }

    [Fact]
    public async Task SaveAndLoad_KeepTheOrgsRecordsAndPipelines()
    {
        var deal = _sf.AddDeal(Deal("Persisted", company: "Acme", pipeline: 1));
        var path = Path.Combine(Path.GetTempPath(), $"sf-sim-{Guid.NewGuid():N}.json");
        try
        {
            await _sf.SaveAsync(path);
            await using var again = new SalesforceSimulator(_time);
            await again.LoadAsync(path);

            again.DealCount.Should().Be(1);
            again.SetDealOutcome(deal, SimulatedDealOutcome.Won);
            again.Record(deal)!["StageName"]!.GetValue<string>().Should().Be("Signed", "the deal's pipeline was kept");
            again.AddDeal(Deal("New")).Should().NotBe(deal, "id counters were kept");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Conformance_FlagsARequestTheCollectionDoesNotHave_AndAnUndeclaredCollectionProperty()
    {
        _sf.Conformance = ConformanceMode.Record;
        var token = await ClientCredentialsAsync();

        await SendJsonAsync(HttpMethod.Post, Api + "composite/sobjects", token, new JsonObject { ["allOrNone"] = "yes", ["records"] = new JsonArray(), ["colour"] = 1 });
        await SendJsonAsync(HttpMethod.Put, Api + "sobjects/Account", token, new JsonObject { ["Name"] = "x" });
        await SendAsync(HttpMethod.Get, Api + "query", token: token);

        _sf.ConformanceViolations.Select(v => (v.Where, v.Keyword)).Should().BeEquivalentTo(new[]
        {
            ("body:/allOrNone", "type"),
            ("body:/colour", "additionalProperties"),
            ("method", "method"),
            ("query:q", "required"),
        });
    }

    [Fact]
    public void Conformance_ChecksAnswersForJsonAndTheErrorArray_AndAllowsTheDocumentedGaps()
    {
        var checker = ConformanceChecker.Default;
        ConformanceExchange Exchange(string method, string path, int status, string body, string query = "") => new(
            "salesforce", method, path, query, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), null, ReadOnlyMemory<byte>.Empty,
            status, "application/json", Encoding.UTF8.GetBytes(body), Injected: false);

        checker.Check(Exchange("GET", "/services/data/v67.0/query", 400, """{"error":"MALFORMED_QUERY"}""", "q=x"), ConformanceSide.Response)
            .Should().ContainSingle(v => v.Keyword == "type" && v.Where == "body:/");
        checker.Check(Exchange("GET", "/services/data/v67.0/query", 400, """[{"message":"m"}]""", "q=x"), ConformanceSide.Response)
            .Should().ContainSingle(v => v.Where == "body:/0/errorCode");
        checker.Check(Exchange("GET", "/services/data/v67.0/sobjects/Account/001", 200, "<html/>"), ConformanceSide.Response)
            .Should().ContainSingle(v => v.Keyword == "json");
        checker.Check(Exchange("GET", "/services/data/v67.0/query/01g5g0000000001AAA-2000", 200, "{}"), ConformanceSide.Request).Should().BeEmpty("nextRecordsUrl is allowed");
        checker.Check(Exchange("POST", "/services/oauth2/token", 200, "{}"), ConformanceSide.Request).Should().BeEmpty("the token endpoint is allowed");
        checker.Check(Exchange("POST", "/services/data/v67.0/sobjects/Account/001", 200, "{}"), ConformanceSide.Request)
            .Should().ContainSingle(v => v.Keyword == "method", "the collection has no POST on a record");
    }

    private static SimulatedDeal Deal(string name, string? company = null, string? owner = null, int pipeline = 0, IReadOnlyList<SimulatedDealContact>? contacts = null) => new()
    {
        Name = name,
        Amount = 1200m,
        Company = company,
        Owner = owner,
        Pipeline = pipeline,
        Contacts = contacts ?? [new SimulatedDealContact("Pat", "Doe", $"pat.{name.ToLowerInvariant().Replace(' ', '.').Replace('\'', '.').Replace('\\', '.')}@example.com")],
    };

    private static string Ack(bool value) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>{(value ? "true" : "false")}</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>""";

    private static string Jwt(RSA key, string iss, string sub, string aud, DateTimeOffset exp)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(Encoding.UTF8.GetBytes("""{"alg":"RS256"}"""));
        var claims = B64(Encoding.UTF8.GetBytes(new JsonObject { ["iss"] = iss, ["sub"] = sub, ["aud"] = aud, ["exp"] = exp.ToUnixTimeSeconds() }.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{claims}.{B64(signature)}";
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> TokenAsync(string assertion)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = assertion });
        using var answer = await _http.PostAsync("services/oauth2/token", form);
        return (answer.StatusCode, JsonNode.Parse(await answer.Content.ReadAsStringAsync())!);
    }

    private async Task<string> ClientCredentialsAsync()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = _sf.ClientId, ["client_secret"] = _sf.ClientSecret });
        using var answer = await _http.PostAsync("services/oauth2/token", form);
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private async Task<JsonNode> QueryAsync(string token, string soql)
    {
        using var answer = await SendAsync(HttpMethod.Get, Api + "query/?q=" + Uri.EscapeDataString(soql), token: token);
        var text = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? token = null, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(HttpMethod method, string path, string token, JsonNode? body = null)
    {
        using var content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var answer = await SendAsync(method, path, content, token);
        var text = await answer.Content.ReadAsStringAsync();
        return (answer.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>An outbound-message endpoint that answers each delivery with the next scripted body (the last one repeats).</summary>
    private sealed class AckingHandler(string[] answers) : HttpMessageHandler
    {
        private int _next;

        public List<string> Bodies { get; } = [];

        public List<string> ContentTypes { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            ContentTypes.Add(request.Content.Headers.ContentType!.ToString());
            var answer = answers[Math.Min(_next++, answers.Length - 1)];
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, Encoding.UTF8, "text/xml") };
        }
    }
}
