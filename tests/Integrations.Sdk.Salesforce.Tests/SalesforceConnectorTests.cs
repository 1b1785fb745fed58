using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Crm;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Salesforce.Models;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Salesforce.Tests;

/// <summary>The exact requests of the Salesforce connector against WireMock: tokens, SOQL paging, deals, contacts, stages, writes, errors.</summary>
public sealed class SalesforceConnectorTests : IDisposable
{
    private const string QueryPath = "/services/data/v67.0/query";
    private readonly SalesforceHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task JwtBearer_PostsAnRs256AssertionWithTheDocumentedClaims_ThenQueriesTheDiscoveredInstanceWithTheToken()
    {
        GivenToken(_host.Login, "00Dtoken!one", _host.Instance.Url!);
        GivenQuery("""{"totalSize":0,"done":true,"records":[]}""");

        var pipelines = await _host.Connector.GetPipelinesAsync();

        pipelines.Should().ContainSingle();
        var token = _host.Login.LogEntries.Should().ContainSingle().Subject.RequestMessage!;
        token.Path.Should().Be("/services/oauth2/token");
        token.Method.Should().Be("POST");
        var form = Form(token.Body!);
        form["grant_type"].Should().Be("urn:ietf:params:oauth:grant-type:jwt-bearer");
        var parts = form["assertion"].Split('.');
        parts.Should().HaveCount(3);
        // Verified here with the public key, independently of the connector's signing.
        SalesforceHost.Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Should().BeTrue("the assertion is signed RS256 with the connected app's key");
        JsonDocument.Parse(FromBase64Url(parts[0])).RootElement.GetProperty("alg").GetString().Should().Be("RS256");
        var claims = JsonDocument.Parse(FromBase64Url(parts[1])).RootElement;
        claims.GetProperty("iss").GetString().Should().Be(SalesforceHost.ClientId);
        claims.GetProperty("sub").GetString().Should().Be(SalesforceHost.Username);
        claims.GetProperty("aud").GetString().Should().Be("https://login.salesforce.com", "Salesforce takes its login host as the audience, whatever host the token is asked of");
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        (exp - _host.Time.GetUtcNow()).Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(3));

        var query = _host.Instance.LogEntries.Should().ContainSingle().Subject.RequestMessage!;
        query.Headers!["Authorization"].Should().Equal("Bearer 00Dtoken!one");
        query.Path.Should().Be(QueryPath);
        query.Query!["q"].Should().Equal("SELECT ApiName, MasterLabel, IsClosed, IsWon, SortOrder FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder");
    }

    [Fact]
    public async Task ClientCredentials_PostsClientIdAndSecret()
    {
        using var host = new SalesforceHost(o =>
        {
            o.Flow = SalesforceAuthFlow.ClientCredentials;
            o.ClientSecret = "consumer-secret-value";
            o.Username = null;
            o.PrivateKeyPem = null;
        });
        GivenToken(host.Login, "00Dtoken!cc", host.Instance.Url!);
        host.Instance.Given(Request.Create().WithPath(QueryPath).UsingGet()).RespondWith(Json("""{"totalSize":0,"done":true,"records":[]}"""));

        (await host.Connector.GetDealAsync("006000000000001AAA")).Should().BeNull();

        var form = Form(host.Login.LogEntries.Single().RequestMessage!.Body!);
        form.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = SalesforceHost.ClientId,
            ["client_secret"] = "consumer-secret-value",
        });
        host.Instance.LogEntries.Single().RequestMessage!.Headers!["Authorization"].Should().Equal("Bearer 00Dtoken!cc");
    }

    [Fact]
    public async Task InvalidSession_GetsANewTokenOnceAndTheRequestIsSentAgain()
    {
        using var host = new SalesforceHost(retries: true);
        host.Login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("tokens").WillSetStateTo("second")
            .RespondWith(Json($$"""{"access_token":"00Dtoken!old","instance_url":"{{host.Instance.Url}}","token_type":"Bearer"}"""));
        host.Login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("tokens").WhenStateIs("second")
            .RespondWith(Json($$"""{"access_token":"00Dtoken!new","instance_url":"{{host.Instance.Url}}","token_type":"Bearer"}"""));
        host.Instance.Given(Request.Create().WithPath(QueryPath).WithHeader("Authorization", "Bearer 00Dtoken!old").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"""));
        host.Instance.Given(Request.Create().WithPath(QueryPath).WithHeader("Authorization", "Bearer 00Dtoken!new").UsingGet())
            .RespondWith(Json("""{"totalSize":0,"done":true,"records":[]}"""));

        (await host.Connector.GetDealAsync("006000000000001AAA")).Should().BeNull();

        host.Login.LogEntries.Should().HaveCount(2, "one new token after the refusal");
        host.Instance.LogEntries.Select(e => e.RequestMessage!.Headers!["Authorization"].Single()).Should().Equal("Bearer 00Dtoken!old", "Bearer 00Dtoken!new");
    }

    [Fact]
    public async Task Query_FollowsNextRecordsUrlUntilDone()
    {
        GivenToken(_host.Login, "00Dtoken!q", _host.Instance.Url!);
        GivenQuery("""{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v67.0/query/01gD0000002HU6KIAW-2000","records":[{"Id":"003A"},{"Id":"003B"}]}""");
        _host.Instance.Given(Request.Create().WithPath("/services/data/v67.0/query/01gD0000002HU6KIAW-2000").UsingGet())
            .RespondWith(Json("""{"totalSize":3,"done":true,"records":[{"Id":"003C"}]}"""));

        var ids = await _host.Connector.QueryAsync<JsonObject>("SELECT Id FROM Contact WHERE LastName = " + SalesforceConnector.SoqlLiteral("O'Brien"))
            .Select(r => (string)r["Id"]!).ToListAsync();

        ids.Should().Equal("003A", "003B", "003C");
        _host.Instance.LogEntries.First().RequestMessage!.Query!["q"].Should().Equal(@"SELECT Id FROM Contact WHERE LastName = 'O\'Brien'");
    }

    [Fact]
    public async Task Deals_FirstRead_AllInStampOrder_ThenResumed_WithOverlap_AndTheCheckpointStampGivenAgain()
    {
        GivenToken(_host.Login, "00Dtoken!d", _host.Instance.Url!);
        const string T1 = "2026-12-05T09:00:00.000+0000";
        const string T2 = "2026-12-05T09:30:00.000+0000";
        _host.Instance.Given(Request.Create().WithPath(QueryPath).WithParam("q", new WireMock.Matchers.WildcardMatcher("*FROM Opportunity ORDER BY*")).UsingGet())
            .RespondWith(Json($$"""{"totalSize":3,"done":true,"records":[{{Opp("006000000000001AAA", T1, false, false)}},{{Opp("006000000000002AAA", T2, true, true)}},{{Opp("006000000000003AAA", T2, true, false)}}]}"""));

        var first = await _host.Connector.Deals.ReadAsync(null).ToListAsync();

        first.Select(r => (r.Value.Id, r.Value.Outcome)).Should().Equal(
            ("006000000000001AAA", CrmDealOutcome.Open), ("006000000000002AAA", CrmDealOutcome.Won), ("006000000000003AAA", CrmDealOutcome.Lost));
        var won = first[1].Value;
        (won.OwnerName, won.CompanyName, won.Amount, won.StageId, won.CloseDate, won.LastModified).Should().Be(
            ("Jane Seller", "Acme Corp", 1200.5m, "Closed Won", new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.Zero)));
        _host.Instance.LogEntries.Last().RequestMessage!.Query!["q"].Should().Equal(
            "SELECT Id, Name, StageName, IsClosed, IsWon, Amount, CloseDate, OwnerId, Owner.Name, Account.Name, SystemModstamp FROM Opportunity ORDER BY SystemModstamp, Id");
        var checkpoint = first[^1].Checkpoint!;

        // Resumed: a late commit before the checkpoint (overlap), the two already given at T2 (the second changed to won
        // later in that same second: the stamp cannot tell), a new one at T2, a later one.
        _host.Instance.Given(Request.Create().WithPath(QueryPath).WithParam("q", new WireMock.Matchers.WildcardMatcher("*WHERE SystemModstamp >=*")).UsingGet())
            .RespondWith(Json($$"""{"totalSize":5,"done":true,"records":[{{Opp("006000000000009AAA", "2026-12-05T09:29:00.000+0000", false, false)}},{{Opp("006000000000002AAA", T2, true, true)}},{{Opp("006000000000003AAA", T2, true, true)}},{{Opp("006000000000004AAA", T2, true, true)}},{{Opp("006000000000005AAA", "2026-12-05T09:31:00.000+0000", false, false)}}]}"""));

        var second = await _host.Connector.Deals.ReadAsync(checkpoint).ToListAsync();

        _host.Instance.LogEntries.Last().RequestMessage!.Query!["q"].Single().Should().Contain("WHERE SystemModstamp >= 2026-12-05T09:25:00.000Z ORDER BY SystemModstamp, Id");
        second.Select(r => r.Value.Id).Should().Equal("006000000000009AAA", "006000000000002AAA", "006000000000003AAA", "006000000000004AAA", "006000000000005AAA");
        second[2].Value.Outcome.Should().Be(CrmDealOutcome.Won, "a change later in the checkpoint's second is not lost");
        second.Take(3).Should().OnlyContain(r => r.Checkpoint == checkpoint, "records of the overlap and of the checkpoint's stamp do not move the checkpoint back");
        second[3].Checkpoint.Should().Be(checkpoint + ",006000000000004AAA");
        second[4].Checkpoint.Should().StartWith("2026-12-05T09:31:00.000Z|006000000000005AAA");
    }

    [Fact]
    public async Task DealContacts_PrimaryFirst_EachOnce_ContactsWithoutEmailIncluded()
    {
        GivenToken(_host.Login, "00Dtoken!c", _host.Instance.Url!);
        GivenQuery("""
            {"totalSize":4,"done":true,"records":[
             {"ContactId":"003000000000001AAA","Role":"Evaluator","IsPrimary":false,"Contact":{"Email":"ann@acme.example","FirstName":"Ann","LastName":"Lee"}},
             {"ContactId":"003000000000002AAA","Role":"Decision Maker","IsPrimary":true,"Contact":{"Email":"bob@acme.example","FirstName":"Bob","LastName":"Ng"}},
             {"ContactId":"003000000000001AAA","Role":"Technical Buyer","IsPrimary":false,"Contact":{"Email":"ann@acme.example","FirstName":"Ann","LastName":"Lee"}},
             {"ContactId":"003000000000003AAA","Role":null,"IsPrimary":false,"Contact":{"Email":null,"FirstName":"Cy","LastName":"Doe"}}]}
            """);

        var contacts = await _host.Connector.GetDealContactsAsync("006000000000002AAA");

        contacts.Select(c => (c.Id, c.Email, c.IsPrimary)).Should().Equal(
            ("003000000000002AAA", "bob@acme.example", true), ("003000000000001AAA", "ann@acme.example", false), ("003000000000003AAA", (string?)null, false));
        contacts[0].Role.Should().Be("Decision Maker");
        _host.Instance.LogEntries.Single().RequestMessage!.Query!["q"].Should().Equal(
            "SELECT ContactId, Role, IsPrimary, Contact.Email, Contact.FirstName, Contact.LastName FROM OpportunityContactRole WHERE OpportunityId = '006000000000002AAA'");
    }

    [Fact]
    public async Task Pipelines_OneImplicitPipeline_StageIdsFromApiName_OutcomesFromIsWonIsClosed()
    {
        GivenToken(_host.Login, "00Dtoken!p", _host.Instance.Url!);
        GivenQuery("""
            {"totalSize":3,"done":true,"records":[
             {"ApiName":"Prospecting","MasterLabel":"Prospecting","IsClosed":false,"IsWon":false,"SortOrder":1},
             {"ApiName":"Signed","MasterLabel":"Signed (contract)","IsClosed":true,"IsWon":true,"SortOrder":2},
             {"ApiName":null,"MasterLabel":"Closed Lost","IsClosed":true,"IsWon":false,"SortOrder":3}]}
            """);

        var pipeline = (await ((ICrmConnector)_host.Connector).GetPipelinesAsync()).Should().ContainSingle().Subject;

        pipeline.Id.Should().Be(SalesforceConnector.DefaultPipelineId);
        pipeline.Stages.Should().Equal(
            new CrmStage("Prospecting", "Prospecting", CrmDealOutcome.Open),
            new CrmStage("Signed", "Signed (contract)", CrmDealOutcome.Won),
            new CrmStage("Closed Lost", "Closed Lost", CrmDealOutcome.Lost));
    }

    [Fact]
    public async Task Upsert_PatchesByExternalId_201IsCreated_204IsUpdated_AndIsANaturalUpsert()
    {
        GivenToken(_host.Login, "00Dtoken!u", _host.Instance.Url!);
        const string Path = "/services/data/v67.0/sobjects/Contact/Erp_Id__c/E-42";
        _host.Instance.Given(Request.Create().WithPath(Path).UsingPatch()).InScenario("upsert").WillSetStateTo("exists")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":"003000000000042AAA","errors":[],"success":true,"created":true}"""));
        _host.Instance.Given(Request.Create().WithPath(Path).UsingPatch()).InScenario("upsert").WhenStateIs("exists").RespondWith(Response.Create().WithStatusCode(204));
        var draft = new SObjectUpsert("Contact", "Erp_Id__c", "E-42", new JsonObject { ["LastName"] = "Lee", ["Email"] = "ann@acme.example" });

        var created = await _host.Connector.Upsert.ExecuteAsync(draft, Write());
        var updated = await _host.Connector.Upsert.ExecuteAsync(draft, Write());

        _host.Connector.Upsert.Safety.Should().Be(WriteSafety.NaturalUpsert);
        _host.Connector.Create.Safety.Should().Be(WriteSafety.Unsafe);
        _host.Connector.CreateUnlessExists.Safety.Should().Be(WriteSafety.LookupThenCreate);
        (created.Id, created.Created).Should().Be(("003000000000042AAA", true));
        updated.Created.Should().BeFalse();
        var request = _host.Instance.LogEntries.First().RequestMessage!;
        JsonNode.Parse(request.Body!)!.ToJsonString().Should().Be("""{"LastName":"Lee","Email":"ann@acme.example"}""");
        request.Headers!["Content-Type"].Single().Should().StartWith("application/json");
    }

    [Fact]
    public async Task CreateUnlessExists_LooksUpByExternalIdFirst_ThenPosts()
    {
        GivenToken(_host.Login, "00Dtoken!l", _host.Instance.Url!);
        _host.Instance.Given(Request.Create().WithPath("/services/data/v67.0/sobjects/Invoice__c/Number__c/INV-7").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json")
                .WithBody("""[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"""));
        _host.Instance.Given(Request.Create().WithPath("/services/data/v67.0/sobjects/Invoice__c").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":"a01000000000007AAA","success":true,"errors":[]}"""));

        var result = await _host.Connector.CreateUnlessExists.ExecuteAsync(new SObjectDraft("Invoice__c", new JsonObject { ["Number__c"] = "INV-7" }, "Number__c"), Write());

        (result.Id, result.Created).Should().Be(("a01000000000007AAA", true));
        _host.Instance.LogEntries.Select(e => e.RequestMessage!.Method).Should().Equal("GET", "POST");
    }

    [Fact]
    public async Task CreateMany_SendsOneCollectionsRequestWithAllOrNone_AndTypesEachResult()
    {
        GivenToken(_host.Login, "00Dtoken!m", _host.Instance.Url!);
        _host.Instance.Given(Request.Create().WithPath("/services/data/v67.0/composite/sobjects").UsingPost())
            .RespondWith(Json("""[{"id":"003000000000010AAA","success":true,"errors":[]},{"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}]}]"""));
        var batch = new SObjectBatch<SObjectDraft>([new SObjectDraft("Contact", new JsonObject { ["LastName"] = "Lee" }), new SObjectDraft("Contact", new JsonObject { ["FirstName"] = "X" })], AllOrNone: false);

        var results = await _host.Connector.CreateMany.ExecuteAsync(batch, Write());

        results[0].Should().BeEquivalentTo(new SObjectResult("003000000000010AAA", true, true, []));
        results[1].Success.Should().BeFalse();
        results[1].Errors.Should().BeEquivalentTo([new SalesforceError("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ["LastName"])]);
        JsonNode.Parse(_host.Instance.LogEntries.Single().RequestMessage!.Body!)!.ToJsonString().Should().Be(
            """{"allOrNone":false,"records":[{"attributes":{"type":"Contact"},"LastName":"Lee"},{"attributes":{"type":"Contact"},"FirstName":"X"}]}""");
    }

    [Fact]
    public async Task ErrorArray_IsTypedIntoThePlatformException_RequestLimitExceededIsARetryableThrottle()
    {
        GivenToken(_host.Login, "00Dtoken!e", _host.Instance.Url!);
        _host.Instance.Given(Request.Create().WithPath("/services/data/v67.0/sobjects/Contact").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""[{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}]"""));
        GivenQueryStatus(403, """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""");

        var create = () => _host.Connector.Create.ExecuteAsync(new SObjectDraft("Contact", new JsonObject { ["FirstName"] = "X" }), Write());
        var read = () => _host.Connector.GetDealAsync("006000000000001AAA");

        var refused = (await create.Should().ThrowAsync<PlatformException>()).Which;
        (refused.ErrorCode, refused.IsRetryable, refused.MayHaveBeenApplied).Should().Be(("REQUIRED_FIELD_MISSING", false, false));
        refused.Message.Should().Contain("Required fields are missing: [LastName] (fields LastName)");
        var throttled = (await read.Should().ThrowAsync<PlatformException>()).Which;
        (throttled.ErrorCode, throttled.IsRetryable, throttled.MayHaveBeenApplied).Should().Be(("REQUEST_LIMIT_EXCEEDED", true, false));
    }

    [Fact]
    public async Task Writes_WithoutTheirKeyFields_AreRefusedNamingTheFieldBeforeAnyRequest()
    {
        var noType = () => _host.Connector.Create.ExecuteAsync(new SObjectDraft(" ", []), Write());
        var badId = () => _host.Connector.Update.ExecuteAsync(new SObjectUpdate("Contact", "not-an-id", []), Write());
        var noExternal = () => _host.Connector.CreateUnlessExists.ExecuteAsync(new SObjectDraft("Contact", [], "Erp_Id__c"), Write());

        (await noType.Should().ThrowAsync<ArgumentException>()).WithMessage("*field SObjectType*");
        (await badId.Should().ThrowAsync<ArgumentException>()).WithMessage("*field Id*");
        (await noExternal.Should().ThrowAsync<ArgumentException>()).WithMessage("*Fields.Erp_Id__c*");
        _host.Login.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task Start_WithoutTheJwtSettings_FailsNamingEachOption_AndToStringShowsNoSecret()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations().AddSalesforce(o => o.ApiVersion = "67");
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message;
        failure.Should().Contain("ClientId").And.Contain("Username").And.Contain("PrivateKeyPem").And.Contain("ApiVersion");
        var options = new SalesforceOptions { ClientId = "id", ClientSecret = "secret-value-1", PrivateKeyPem = SalesforceHost.PrivateKeyPem };
        options.ToString().Should().NotContain("secret-value-1").And.NotContain("PRIVATE KEY");
    }

    [Fact]
    public void Registration_AlsoOffersTheConnectorAsTheKeyedCrmConnector()
    {
        _host.Services.GetRequiredKeyedService<ICrmConnector>("salesforce").Should().BeSameAs(_host.Connector);
        _host.Connector.Platform.Should().Be("salesforce");
    }

    private static WriteContext Write() => new("crm-sync", "rec:1", "write", IdempotencyKeys.Derive("crm-sync", "rec:1", "write", 0), 1, false);

    private static string Opp(string id, string stamp, bool closed, bool won) =>
        $$"""{"attributes":{"type":"Opportunity"},"Id":"{{id}}","Name":"Deal {{id[^4..]}}","StageName":"{{(won ? "Closed Won" : closed ? "Closed Lost" : "Prospecting")}}","IsClosed":{{(closed ? "true" : "false")}},"IsWon":{{(won ? "true" : "false")}},"Amount":1200.5,"CloseDate":"2026-12-31","OwnerId":"005000000000001AAA","Owner":{"attributes":{"type":"User"},"Name":"Jane Seller"},"Account":{"Name":"Acme Corp"},"SystemModstamp":"{{stamp}}"}""";

    private static void GivenToken(WireMockServer login, string token, string instance) =>
        login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Json($$"""{"access_token":"{{token}}","instance_url":"{{instance.TrimEnd('/')}}","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1764928800000","signature":"abc="}"""));

    private void GivenQuery(string body) => _host.Instance.Given(Request.Create().WithPath(QueryPath).UsingGet()).RespondWith(Json(body));

    private void GivenQueryStatus(int status, string body) => _host.Instance.Given(Request.Create().WithPath(QueryPath).UsingGet())
        .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private static Dictionary<string, string> Form(string body) => body.Split('&').Select(p => p.Split('=', 2))
        .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static IResponseBuilder Json(string body) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
