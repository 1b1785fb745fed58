using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing.Conformance;
using static Integrations.Sdk.Tests.Conformance.Exchanges;

namespace Integrations.Sdk.Tests.Conformance;

/// <summary>
/// What the checker accepts and what it reports, in the spec's words, for each built-in spec: requests (operation,
/// query, form and JSON bodies) and answers (status, body against the declared schema).
/// </summary>
public sealed class ConformanceCheckerTests
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string TrelloList = "5abbe4b7ddc1b351ef961414";
    private const string TrelloCard = "5abbe4b7ddc1b351ef961415";

    private static ConformanceChecker Checker => ConformanceChecker.Default;

    private static IReadOnlyList<ConformanceViolation> Request(ConformanceExchange exchange) => Checker.Check(exchange, ConformanceSide.Request);

    private static IReadOnlyList<ConformanceViolation> Response(ConformanceExchange exchange) => Checker.Check(exchange, ConformanceSide.Response);

    [Fact]
    public void Stripe_ListWithDeepObjectFiltersAndExpand_Conforms()
    {
        var exchange = Exchanges.Request("stripe", "GET", "/v1/invoices?limit=100&customer=cus_1&status=open&created[gte]=1690000000&created[lt]=1790000000&expand[]=data.customer&starting_after=in_9");

        Request(exchange).Should().BeEmpty();
    }

    [Fact]
    public void Stripe_FormBodyWithMetadataAndNestedArrays_Conforms()
    {
        var exchange = Exchanges.Request("stripe", "POST", "/v1/customers/cus_1", Form,
            "email=pat%40example.com&name=Pat+Lee&metadata[crm_id]=42&expand[]=default_source&invoice_settings[custom_fields][0][name]=PO&invoice_settings[custom_fields][0][value]=7&tax_exempt=none&balance=-100");

        Request(exchange).Should().BeEmpty();
    }

    [Fact]
    public void Stripe_UndeclaredQueryParameter_IsReportedWithTheOperationsParameters()
    {
        var violations = Request(Exchanges.Request("stripe", "GET", "/v1/invoices?limit=10&bogus=1"));

        var violation = violations.Should().ContainSingle().Subject;
        violation.Operation.Should().Be("GET /v1/invoices");
        violation.Where.Should().Be("query:bogus");
        violation.Keyword.Should().Be("additionalProperties");
        violation.SchemaLocation.Should().Be("spec3.json#/paths/~1v1~1invoices/get/parameters");
        violation.Message.Should().Contain("\"bogus\"").And.Contain("not declared");
        violation.ToString().Should().Be("stripe request GET /v1/invoices: at query:bogus (spec3.json#/paths/~1v1~1invoices/get/parameters) [additionalProperties] Query parameter \"bogus\" is not declared by the operation");
    }

    [Fact]
    public void Stripe_WrongTypeAndBadEnumInTheQuery_AreReportedAtTheParametersSchema()
    {
        var violations = Request(Exchanges.Request("stripe", "GET", "/v1/invoices?limit=ten&status=unpaid"));

        violations.Should().HaveCount(2, Lines(violations));
        var type = violations.Single(v => v.Where == "query:limit");
        type.Keyword.Should().Be("type");
        type.Message.Should().Contain("integer");
        type.SchemaLocation.Should().StartWith("spec3.json#/paths/~1v1~1invoices/get/parameters/").And.EndWith("/schema");
        var status = violations.Single(v => v.Where == "query:status");
        status.Keyword.Should().Be("enum");
        status.SchemaLocation.Should().StartWith("spec3.json#/paths/~1v1~1invoices/get/parameters/");
        status.Message.Should().Contain("\"unpaid\" is not one of [\"draft\",\"open\",\"paid\",\"uncollectible\",\"void\"]");
    }

    [Fact]
    public void Stripe_FormBody_WrongTypeBadEnumAndUndeclaredField_AreEachReported()
    {
        var violations = Request(Exchanges.Request("stripe", "POST", "/v1/customers/cus_1", Form, "name=Ann&balance=lots&tax_exempt=maybe&nickname=x"));

        violations.Select(v => (v.Where, v.Keyword)).Should().BeEquivalentTo(new[]
        {
            ("body:/balance", "type"),
            ("body:/tax_exempt", "enum"),
            ("body:/nickname", "additionalProperties"),
        }, Lines(violations));
        violations.Should().OnlyContain(v => v.Operation == "POST /v1/customers/{customer}" && v.SchemaLocation.StartsWith("spec3.json#/paths/~1v1~1customers~1{customer}/post/requestBody/content/application~1x-www-form-urlencoded/schema", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownRoute_AndUndeclaredMethod_AreReportedAsOperations()
    {
        var unknown = Request(Exchanges.Request("stripe", "GET", "/v1/nope")).Should().ContainSingle().Subject;
        unknown.Keyword.Should().Be("operation");
        unknown.Operation.Should().Be("GET /v1/nope");
        unknown.Where.Should().Be("path");
        unknown.Message.Should().Contain("No path of the spec matches \"/v1/nope\"");

        var method = Request(Exchanges.Request("stripe", "PUT", "/v1/customers/cus_1")).Should().ContainSingle().Subject;
        method.Operation.Should().Be("PUT /v1/customers/{customer}");
        method.Message.Should().Contain("GET").And.Contain("POST").And.Contain("not PUT");
    }

    [Fact]
    public void Stripe_Answer_ValidExampleObjects_Conform_ButAMissingRequiredFieldAndAWrongType_AreReported()
    {
        var request = Exchanges.Request("stripe", "GET", "/v1/invoices/in_1");
        Response(request.Answer(200, StripeFixture("invoice").ToJsonString())).Should().BeEmpty("the drift of Stripe's newer example invoice is on the allow-list");
        Response(Exchanges.Request("stripe", "GET", "/v1/customers/cus_1").Answer(200, StripeFixture("customer").ToJsonString())).Should().BeEmpty();
        Response(Exchanges.Request("stripe", "GET", "/v1/subscriptions/sub_1").Answer(200, StripeFixture("subscription").ToJsonString())).Should().BeEmpty();
        Response(Exchanges.Request("stripe", "GET", "/v1/events/evt_1").Answer(200, StripeFixture("event").ToJsonString())).Should().BeEmpty();

        var invoice = StripeFixture("invoice");
        invoice["amount_remaining"] = invoice["amount_due"]!.DeepClone();
        invoice.Remove("amount_due");
        invoice["livemode"] = "yes";
        var violations = Response(request.Answer(200, invoice.ToJsonString()));

        violations.Should().HaveCount(2, Lines(violations));
        var missing = violations.Single(v => v.Keyword == "required");
        missing.Side.Should().Be(ConformanceSide.Response);
        missing.Operation.Should().Be("GET /v1/invoices/{invoice}");
        missing.Where.Should().Be("body:/");
        missing.SchemaLocation.Should().Be("spec3.json#/components/schemas/invoice");
        missing.Message.Should().Be("Required property \"amount_due\" is not present");
        var type = violations.Single(v => v.Keyword == "type");
        type.Where.Should().Be("body:/livemode");
        type.SchemaLocation.Should().Be("spec3.json#/components/schemas/invoice/properties/livemode");
        type.Message.Should().Contain("boolean");
    }

    [Fact]
    public void HubSpot_ContactUpdate_MatchesTheContactsDocument_AndItsAnswerIsChecked()
    {
        var request = Exchanges.Request("hubspot", "PATCH", "/crm/v3/objects/contacts/123", "application/json", """{"properties":{"email":"pat@example.com"}}""");
        Request(request).Should().BeEmpty();
        const string contact = """{"id":"123","properties":{"email":"pat@example.com"},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z","archived":false}""";
        Response(request.Answer(200, contact)).Should().BeEmpty();

        var bad = Request(request with { RequestBody = """{"properties":"pat@example.com"}"""u8.ToArray() }).Should().ContainSingle().Subject;
        bad.Operation.Should().Be("PATCH /crm/v3/objects/contacts/{contactId}", "the template with the most literal segments wins over /{objectType}/{objectId}");
        bad.Where.Should().Be("body:/properties");
        bad.Keyword.Should().Be("type");

        var renamed = Response(request.Answer(200, contact.Replace("createdAt", "created", StringComparison.Ordinal))).Should().ContainSingle().Subject;
        renamed.Keyword.Should().Be("required");
        renamed.Message.Should().Be("Required property \"createdAt\" is not present");
        renamed.SchemaLocation.Should().Be("v3-contacts.json#/components/schemas/SimplePublicObject");
    }

    [Fact]
    public void HubSpot_DealsPage_WithCommaSeparatedProperties_Conforms()
    {
        var request = Exchanges.Request("hubspot", "GET", "/crm/v3/objects/deals?limit=100&properties=amount,dealstage&after=abc");

        Request(request).Should().BeEmpty();
        Response(request.Answer(200, """{"results":[{"id":"7","properties":{"amount":"10"},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","archived":false}]}""")).Should().BeEmpty();
        Request(Exchanges.Request("hubspot", "GET", "/crm/v3/objects/deals?limit=many")).Should().ContainSingle(v => v.Where == "query:limit" && v.Keyword == "type");
    }

    [Fact]
    public void Mailchimp_SendTemplate_UnderTheWireBasePathAndWithTheJsonSuffix_IsChecked()
    {
        const string body = """{"key":"k","template_name":"welcome","template_content":[],"message":{"to":[{"email":"pat@example.com","type":"to"}],"global_merge_vars":[{"name":"FNAME","content":"Pat"}]}}""";
        foreach (var path in new[] { "/api/1.0/messages/send-template", "/api/1.0/messages/send-template.json", "/api/1.3/messages/send-template.json" })
        {
            var request = Exchanges.Request("mailchimp-transactional", "POST", path, "application/json", body);
            Request(request).Should().BeEmpty(path);
            Response(request.Answer(200, """[{"email":"pat@example.com","status":"sent","_id":"abc123"}]""")).Should().BeEmpty(path);
        }

        var bad = Request(Exchanges.Request("mailchimp-transactional", "POST", "/api/1.0/messages/send-template", "application/json", """{"template_name":"welcome","template_content":[],"message":{"to":"pat@example.com"}}"""));
        bad.Select(v => (v.Where, v.Keyword, v.Message)).Should().BeEquivalentTo(new[]
        {
            ("body:/", "required", "Required property \"key\" is not present"),
            ("body:/message/to", "type", "Value is \"string\" but should be \"array\""),
        }, Lines(bad));
        bad.Should().OnlyContain(v => v.SchemaLocation.StartsWith("transactional.json#/paths/~1messages~1send-template/post/parameters/0/schema", StringComparison.Ordinal));

        var status = Response(Exchanges.Request("mailchimp-transactional", "POST", "/api/1.0/messages/send-template", "application/json", body).Answer(404, """{"status":"error"}""")).Should().ContainSingle().Subject;
        status.Keyword.Should().Be("status");
        status.Where.Should().Be("status");
    }

    [Fact]
    public void Trello_CardCreationAndLists_UnderTheSlashOnePrefix_AreChecked()
    {
        var create = Exchanges.Request("trello", "POST", $"/1/cards?idList={TrelloList}&name=Follow+up&desc=x&key=k&token=t");
        Request(create).Should().BeEmpty("the key and token of Trello's security schemes ride in the query");
        Response(create.Answer(200, $$"""{"id":"{{TrelloCard}}","name":"Follow up","idList":"{{TrelloList}}","closed":false}""")).Should().BeEmpty();
        var list = Exchanges.Request("trello", "GET", $"/1/lists/{TrelloList}/cards");
        Request(list).Should().BeEmpty();
        Response(list.Answer(200, $$"""[{"id":"{{TrelloCard}}","name":"Follow up"}]""")).Should().BeEmpty();

        var missing = Request(Exchanges.Request("trello", "POST", "/1/cards?name=Follow+up")).Should().ContainSingle().Subject;
        missing.Where.Should().Be("query:idList");
        missing.Keyword.Should().Be("required");
        missing.Message.Should().Be("Required query parameter \"idList\" is not present");

        // 400, 401, 404 and 429 are Trello's documented errors (allow-listed); a 418 is declared nowhere.
        var undeclared = Response(Exchanges.Request("trello", "GET", $"/1/cards/{TrelloCard}").Answer(418, "teapot", "text/plain")).Should().ContainSingle().Subject;
        undeclared.Keyword.Should().Be("status");
        undeclared.Message.Should().Be("Status 418 is not declared (declared: 200)");
        undeclared.SchemaLocation.Should().Be("trello-openapi.json#/paths/~1cards~1{id}/get/responses");

        var badId = Response(list.Answer(200, """[{"id":"not-an-id"}]""")).Should().ContainSingle().Subject;
        badId.Where.Should().Be("body:/0/id");
        badId.Keyword.Should().Be("pattern");
        badId.SchemaLocation.Should().Be("trello-openapi.json#/components/schemas/TrelloID");
    }

    [Fact]
    public void Shopify_GraphQlDocuments_AreValidatedAgainstTheAdminSchema()
    {
        const string path = "/admin/api/2026-01/graphql.json";
        var valid = new JsonObject
        {
            ["query"] = "query CustomerByEmail($first: Int!, $query: String!) { customers(first: $first, query: $query) { nodes { id firstName lastName defaultEmailAddress { emailAddress } } } }",
            ["operationName"] = "CustomerByEmail",
            ["variables"] = new JsonObject { ["first"] = 5, ["query"] = "email:pat@example.com" },
        };
        var request = Exchanges.Request("shopify", "POST", path, "application/json", valid.ToJsonString());
        Request(request).Should().BeEmpty();
        Response(request.Answer(200, """{"data":{"customers":{"nodes":[]}}}""")).Should().BeEmpty();
        Response(request.Answer(200, "<html>oops</html>", "text/html")).Should().ContainSingle(v => v.Keyword == "graphql");

        valid["query"] = "query CustomerByEmail($first: Int!) { customers(first: $first, sortBy: NAME) { nodes { id nickname } } }";
        var violations = Request(request with { RequestBody = Encoding.UTF8.GetBytes(valid.ToJsonString()) });
        violations.Select(v => v.Keyword).Should().BeEquivalentTo(["argumentNotAccepted", "undefinedField"], Lines(violations));
        violations.Should().Contain(v => v.Message.Contains("nickname", StringComparison.Ordinal));
        Request(Exchanges.Request("shopify", "GET", "/admin/api/2026-01/orders.json")).Should().ContainSingle(v => v.Keyword == "operation");
    }

    [Fact]
    public void InjectedAnswers_UnknownStatuses_AndUncoveredPlatforms_AreNotChecked()
    {
        var request = Exchanges.Request("trello", "GET", $"/1/cards/{TrelloCard}");

        Response(request.Answer(503, "busy", "text/plain") with { Injected = true }).Should().BeEmpty();
        Response(request).Should().BeEmpty("no answer is known");
        Checker.Covers("stripe").Should().BeTrue();
        Checker.Covers("nope").Should().BeFalse();
        Request(Exchanges.Request("nope", "GET", "/anything")).Should().BeEmpty();
    }

    [Fact]
    public void AllowList_ExplainsOnlyWhatItMatches_RequiresAWhy_AndReportsUnusedEntries()
    {
        var spec = new OpenApiPlatformSpec("trello", [new("trello-openapi.json", Spec("trello.trello-openapi.json"))], "^/1(?<path>/.*)$");
        const string allow = """
            [
              { "platform": "trello", "side": "request", "operation": "POST /cards", "where": "query:pos*", "keyword": "additionalProperties", "why": "test: pos is sent by an old client" },
              { "platform": "trello", "side": "response", "keyword": "status", "message": "^Status 418", "why": "test: never matches" }
            ]
            """;
        var checker = new ConformanceChecker([spec], allow);

        checker.Check(Exchanges.Request("trello", "POST", $"/1/cards?idList={TrelloList}&posx=top"), ConformanceSide.Request).Should().BeEmpty();
        checker.Check(Exchanges.Request("trello", "POST", $"/1/cards?idList={TrelloList}&other=1"), ConformanceSide.Request).Should().ContainSingle(v => v.Where == "query:other");
        checker.UnusedAllowances().Should().ContainSingle().Which.Should().Contain("never matches");

        var noWhy = () => new ConformanceChecker([spec], """[{ "platform": "trello", "keyword": "status" }]""");
        noWhy.Should().Throw<ArgumentException>().WithMessage("*\"why\"*");
    }

    [Fact]
    public void BuiltInAllowList_EveryEntryExplainsTheStripeExampleObjects()
    {
        // Every built-in entry is about Stripe's example objects, so checking them through Default uses every entry.
        var checker = ConformanceChecker.Default;

        foreach (var (name, path) in new[] { ("customer", "/v1/customers/cus_1"), ("invoice", "/v1/invoices/in_1"), ("subscription", "/v1/subscriptions/sub_1") })
        {
            checker.Check(Exchanges.Request("stripe", "GET", path).Answer(200, StripeFixture(name).ToJsonString()), ConformanceSide.Response).Should().BeEmpty(name);
        }

        checker.UnusedAllowances().Should().NotContain(
            a => a.Contains("platform=stripe side=response", StringComparison.Ordinal) && a.Contains("fixtures3.json", StringComparison.Ordinal),
            "each entry about Stripe's newer example objects explains one of them (a stale entry must be removed)");
    }
}
