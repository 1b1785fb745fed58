using Integrations.Sdk.Testing.Conformance;

namespace Integrations.Sdk.QuickBooks.Tests.Conformance;

/// <summary>The QuickBooks spec over Intuit's XSDs: field names, scalar types and required elements, in the schema's words.</summary>
public sealed class QuickBooksXsdSpecTests
{
    private const string Invoice = """
        {"CustomerRef":{"value":"58","name":"Ann Lee"},"DocNumber":"1001","TxnDate":"2026-11-28","PrivateNote":"shop order 1001",
         "CurrencyRef":{"value":"USD"},"AllowOnlineCreditCardPayment":true,
         "Line":[{"Amount":25.00,"Description":"Mug","DetailType":"SalesItemLineDetail",
                  "SalesItemLineDetail":{"ItemRef":{"value":"3","name":"Mug"},"Qty":2,"UnitPrice":12.50,"TaxCodeRef":{"value":"NON"}}}]}
        """;

    private static readonly QuickBooksXsdSpec Spec = QuickBooksXsdSpec.Default;

    [Fact]
    public void CheckRequest_ValidBodies_Pass()
    {
        var exchanges = new[]
        {
            Exchanges.Request("POST", Exchanges.Api + "/invoice?minorversion=75&requestid=abc", Invoice),
            Exchanges.Request("POST", Exchanges.Api + "/customer?minorversion=75", """{"DisplayName":"Ann Lee","GivenName":"Ann","PrimaryEmailAddr":{"Address":"ann@example.com"},"PrimaryPhone":{"FreeFormNumber":"555-0100"}}"""),
            Exchanges.Request("POST", Exchanges.Api + "/item?minorversion=75", """{"Id":"3","SyncToken":"2","sparse":true,"QtyOnHand":7}"""),
            Exchanges.Request("POST", Exchanges.Api + "/payment?minorversion=75", """{"CustomerRef":{"value":"58"},"TotalAmt":25.0,"Line":[{"Amount":25.0,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]}]}"""),
            Exchanges.Request("GET", Exchanges.Api + "/query?query=SELECT%20*%20FROM%20Invoice%20WHERE%20DocNumber%20%3D%20%271001%27&minorversion=75"),
            Exchanges.Request("POST", Exchanges.Api + "/query?minorversion=75", "SELECT * FROM Customer", "application/text"),
            Exchanges.Request("GET", Exchanges.Api + "/invoice/130?minorversion=75"),
            Exchanges.Request("POST", "/oauth2/v1/tokens/bearer", "grant_type=refresh_token&refresh_token=x", "application/x-www-form-urlencoded"),
        };

        Exchanges.Check(Spec, exchanges).Should().BeEmpty();
    }

    [Fact]
    public void CheckRequest_UndeclaredField_IsReportedWithTheTypeAndItsBases()
    {
        var body = Invoice.Replace("\"DocNumber\"", "\"Memo\":\"x\",\"DocNumber\"", StringComparison.Ordinal);

        var violation = Spec.CheckRequest(Exchanges.Request("POST", Exchanges.Api + "/invoice?minorversion=75", body)).Should().ContainSingle().Which;

        violation.Keyword.Should().Be("additionalProperties");
        violation.Where.Should().Be("body:/Memo");
        violation.Operation.Should().Be("POST /v3/company/{realmId}/invoice");
        violation.Message.Should().Contain("'Memo' is not an element or attribute of complexType Invoice (extends SalesTransaction → Transaction → IntuitEntity)");
        violation.SchemaLocation.Should().StartWith("Finance.xsd:").And.EndWith("complexType Invoice");
    }

    [Theory]
    [InlineData("\"UnitPrice\":12.50", "\"UnitPrice\":\"12.50\"", "body:/Line/0/SalesItemLineDetail/UnitPrice", "type", "is a JSON number, not the string \"12.50\"")]
    [InlineData("\"AllowOnlineCreditCardPayment\":true", "\"AllowOnlineCreditCardPayment\":\"yes\"", "body:/AllowOnlineCreditCardPayment", "type", "boolean is a JSON boolean")]
    [InlineData("\"TxnDate\":\"2026-11-28\"", "\"TxnDate\":\"28/11/2026\"", "body:/TxnDate", "format", "'28/11/2026' is not a valid date")]
    [InlineData("\"CustomerRef\":{\"value\":\"58\",\"name\":\"Ann Lee\"}", "\"CustomerRef\":\"58\"", "body:/CustomerRef", "type", "complexType ReferenceType (simpleContent), a JSON object")]
    [InlineData("\"DetailType\":\"SalesItemLineDetail\"", "\"DetailType\":\"SalesLine\"", "body:/Line/0/DetailType", "enum", "'SalesLine' is not a valid LineDetailTypeEnum")]
    [InlineData("\"Line\":[{", "\"Line\":{\"Id\":\"1\"},\"X\":[{", "body:/Line", "type", "maxOccurs unbounded) is a JSON array")]
    public void CheckRequest_WrongScalarType_IsReportedWithTheXsdType(string valid, string wrong, string where, string keyword, string message)
    {
        var body = Invoice.Replace(valid, wrong, StringComparison.Ordinal);
        body.Should().NotBe(Invoice);

        var violations = Spec.CheckRequest(Exchanges.Request("POST", Exchanges.Api + "/invoice?minorversion=75", body));

        violations.Should().Contain(v => v.Where == where && v.Keyword == keyword && v.Message.Contains(message, StringComparison.Ordinal),
            string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void CheckRequest_MissingRequiredElement_IsReported_ButNotInASparseUpdate()
    {
        // CustomField.Type is minOccurs="1" in IntuitBaseTypes.xsd (most elements are minOccurs="0").
        const string Body = """{"DisplayName":"Ann","CustomField":[{"DefinitionId":"1","StringValue":"gold"}]}""";

        var full = Spec.CheckRequest(Exchanges.Request("POST", Exchanges.Api + "/customer?minorversion=75", Body));
        var sparse = Spec.CheckRequest(Exchanges.Request("POST", Exchanges.Api + "/customer?minorversion=75", Body.Replace("{\"DisplayName\"", "{\"Id\":\"1\",\"SyncToken\":\"0\",\"sparse\":true,\"DisplayName\"", StringComparison.Ordinal)));

        var violation = full.Should().ContainSingle().Which;
        violation.Keyword.Should().Be("required");
        violation.Where.Should().Be("body:/CustomField/0");
        violation.Message.Should().Contain("element 'Type' of complexType CustomField is required (minOccurs=1)");
        violation.SchemaLocation.Should().StartWith("IntuitBaseTypes.xsd:");
        sparse.Should().BeEmpty();
    }

    [Fact]
    public void CheckRequest_RoutesAndParameters_AreChecked()
    {
        string[] Check(string method, string path, string? body = null) =>
            [.. Spec.CheckRequest(Exchanges.Request(method, Exchanges.Api + path, body)).Select(v => $"{v.Where} [{v.Keyword}]")];

        Check("GET", "/query?minorversion=75").Should().Equal("query:query [required]");
        Check("GET", "/query?query=SELECT%20*%20FROM%20Invoices&minorversion=75").Should().Equal("query:query [enum]");
        Check("GET", "/query?query=SELECT%20*%20FROM%20Item&minorversion=latest&limit=5").Should().BeEquivalentTo("query:limit [additionalProperties]", "query:minorversion [type]");
        Check("POST", "/widget?minorversion=75", "{}").Should().Equal("path [operation]");
        Check("PUT", "/invoice?minorversion=75", "{}").Should().Equal("method [operation]");
        Check("POST", "/invoice?minorversion=75&operation=remove", """{"Id":"1","SyncToken":"0"}""").Should().Equal("query:operation [enum]");
        Check("POST", "/batch?minorversion=75", """{"BatchItemRequest":[{"bId":"1","operation":"create","Invoice":{"DocNumber":"1001"}},{"bId":"2","Query":"SELECT * FROM Item"}]}""").Should().BeEmpty();
        Check("POST", "/batch?minorversion=75", """{"BatchItemRequest":[{"bId":"1","operation":"upsert","Invoice":{"DocNo":"1001"}}]}""")
            .Should().BeEquivalentTo("body:/BatchItemRequest/0/operation [enum]", "body:/BatchItemRequest/0/Invoice/DocNo [additionalProperties]");
        Check("GET", "/cdc?entities=Invoice,Customer&changedSince=2026-11-27T00:00:00-08:00&minorversion=75").Should().BeEmpty();
        Check("GET", "/cdc?entities=Invoice&changedSince=yesterday").Should().Equal("query:changedSince [format]");
        Check("POST", "/invoice/130/send?sendTo=a@example.com").Should().BeEmpty();
        Spec.CheckRequest(Exchanges.Request("GET", "/v2/companies/1/invoice")).Should().ContainSingle().Which.Operation.Should().Be("GET /v2/companies/1/invoice");
    }

    [Fact]
    public void CheckResponse_Envelopes_PassAndBrokenOnesAreReported()
    {
        const string Entity = """{"Invoice":{"Id":"130","SyncToken":"0","domain":"QBO","sparse":false,"MetaData":{"CreateTime":"2026-11-28T02:00:00.000-08:00","LastUpdatedTime":"2026-11-28T02:00:00.000-08:00"},"DocNumber":"1001","TotalAmt":25.0,"Balance":25.0},"time":"2026-11-28T02:00:00.000-08:00"}""";
        const string Query = """{"QueryResponse":{"Customer":[{"Id":"58","DisplayName":"Ann Lee","Active":true,"Balance":0}],"startPosition":1,"maxResults":1},"time":"2026-11-28T02:00:00.000-08:00"}""";
        const string Count = """{"QueryResponse":{"totalCount":5},"time":"2026-11-28T02:00:00.000-08:00"}""";
        const string Fault = """{"Fault":{"Error":[{"Message":"Object Not Found","Detail":"Object Not Found : Something you're trying to use has been made inactive.","code":"610","element":"Id"}],"type":"ValidationFault"},"time":"2026-11-28T02:00:00.000-08:00"}""";
        const string Gateway = """{"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Token expired","code":"3200"}],"type":"AUTHENTICATION"},"time":"2026-11-28T02:00:00.000-08:00"}""";

        string[] Check(string path, int status, string body) =>
            [.. Spec.CheckResponse(Exchanges.Response("POST", Exchanges.Api + path, status, body)).Select(v => $"{v.Where} [{v.Keyword}] {v.Message}")];

        Check("/invoice", 200, Entity).Should().BeEmpty();
        Check("/query", 200, Query).Should().BeEmpty();
        Check("/query", 200, Count).Should().BeEmpty();
        Check("/invoice", 400, Fault).Should().BeEmpty();
        Check("/invoice", 401, Gateway).Should().BeEmpty();

        Check("/invoice", 400, Fault.Replace(",\"code\":\"610\"", string.Empty, StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Be("body:/Fault/Error/0 [required] attribute 'code' of complexType Error is required (use=\"required\")");
        Check("/invoice", 200, Entity.Replace("\"TotalAmt\":25.0", "\"Total\":25.0", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().StartWith("body:/Invoice/Total [additionalProperties]");
        Check("/invoice", 200, Entity.Replace("\"time\"", "\"timestamp\"", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().StartWith("body:/timestamp [additionalProperties] 'timestamp' is not an element or attribute of complexType IntuitResponse");
        Check("/invoice", 200, Query).Should().ContainSingle().Which.Should().Contain("carries the element Invoice");
        Check("/invoice", 404, "{}").Should().ContainSingle().Which.Should().Contain("carries the element Fault");
        Check("/invoice", 400, "not json").Should().ContainSingle().Which.Should().StartWith("body [type]");
    }

    [Fact]
    public void FromDirectory_ASchemaWithoutAnElement_FlagsABodyThatUsesIt()
    {
        var folder = Directory.CreateTempSubdirectory("qbo-xsd-").FullName;
        try
        {
            var assembly = typeof(QuickBooksXsdSpec).Assembly;
            foreach (var file in new[] { "IntuitRestServiceDef.xsd", "Finance.xsd", "IntuitNamesTypes.xsd", "IntuitBaseTypes.xsd", "Report.xsd" })
            {
                using var stream = assembly.GetManifestResourceStream("Integrations.Sdk.Testing.Specs.quickbooks." + file)!;
                using var reader = new StreamReader(stream);
                var text = reader.ReadToEnd();
                if (file == "Finance.xsd")
                {
                    // Drop the declaration of Transaction.DocNumber.
                    var start = text.IndexOf("<xs:element name=\"DocNumber\"", StringComparison.Ordinal);
                    var end = text.IndexOf("</xs:element>", start, StringComparison.Ordinal) + "</xs:element>".Length;
                    text = text[..start] + text[end..];
                }

                File.WriteAllText(Path.Combine(folder, file), text);
            }

            var edited = QuickBooksXsdSpec.FromDirectory(folder);
            var request = Exchanges.Request("POST", Exchanges.Api + "/invoice?minorversion=75", Invoice);

            Spec.CheckRequest(request).Should().BeEmpty();
            edited.CheckRequest(request).Should().ContainSingle().Which.Where.Should().Be("body:/DocNumber");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
