using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Integrations.Sdk.Testing.Shopify;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>
/// The simulator answers as Shopify documents: its error bodies for unknown routes, bad tokens and versions, the
/// version fall-forward, and answers shaped by the document sent, with every non-null field of what is queried. The
/// schema is read here from the SDL the simulator embeds, by this test's own small reader.
/// </summary>
public sealed class ShopifySimulatorConformanceTests : IAsyncLifetime
{
    private const string SchemaResource = "Integrations.Sdk.Testing.Shopify.admin-2026-01.subset.graphql";
    private static readonly Lazy<Dictionary<string, Dictionary<string, (string Type, bool OptionalArgs)>>> Types = new(ReadSchema);
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Enums = new(ReadEnums);
    private readonly ShopifySimulator _shop = new(new ShopifySimulatorOptions { RestoreRate = 1_000_000 });
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _shop.StartAsync();
        _http = new HttpClient { BaseAddress = _shop.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _shop.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "admin/api/2026-10/products.json")]
    [InlineData("POST", "admin/api/2026-10/nope.json")]
    [InlineData("GET", "admin/api/2026-10/graphql.json")]
    [InlineData("POST", "nothing/here")]
    public async Task UnknownRoute_Answers404WithShopifysBody(string method, string path)
    {
        _shop.Conformance = ConformanceMode.Record; // routes Shopify does not have, on purpose

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Shopify-Access-Token", _shop.Options.AccessToken);

        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"errors":"Not Found"}""");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("shpat_wrong")]
    public async Task MissingOrWrongAccessToken_Answers401WithShopifysBody(string? token)
    {
        using var response = await PostAsync(_shop.Options.ApiVersion, token, VariantQuery("id"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}""");
    }

    [Theory]
    [InlineData("2026-10", HttpStatusCode.OK, "2026-10")]   // the version served
    [InlineData("2025-01", HttpStatusCode.OK, "2026-10")]   // an older stable version falls forward to the oldest supported
    [InlineData("2024-04", HttpStatusCode.OK, "2026-10")]
    [InlineData("2027-01", HttpStatusCode.NotFound, null)]  // newer than the simulator has
    [InlineData("unstable", HttpStatusCode.NotFound, null)]
    [InlineData("2025-02", HttpStatusCode.NotFound, null)]  // not a release (releases are quarterly)
    [InlineData("latest", HttpStatusCode.NotFound, null)]
    public async Task ApiVersionInThePath_IsServedFallenForwardOrRefused(string version, HttpStatusCode expected, string? answeredVersion)
    {
        _shop.AddProduct("MUG-1", "Mug", 9.90m);

        using var response = await PostAsync(version, _shop.Options.AccessToken, VariantQuery("id"));

        response.StatusCode.Should().Be(expected);
        if (answeredVersion is null)
        {
            (await response.Content.ReadAsStringAsync()).Should().Be("""{"errors":"Not Found"}""");
            return;
        }

        response.Headers.GetValues("X-Shopify-API-Version").Should().Equal(answeredVersion);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["productVariants"]!["nodes"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Answer_CarriesExactlyTheSelection_WithAliasesTypenameEdgesAndDirectives()
    {
        _shop.AddProduct("MUG-1", "Mug", 9.90m);
        var document = """
            query VariantBySku($first: Int!, $query: String!, $withSku: Boolean!) {
              found: productVariants(first: $first, query: $query) {
                __typename
                edges { cursor node { variantId: id __typename sku @include(if: $withSku) title @skip(if: true) ...Price } }
                pageInfo { hasNextPage hasPreviousPage }
              }
            }
            fragment Price on ProductVariant { price inventoryItem { id } }
            """;

        using var response = await PostAsync(_shop.Options.ApiVersion, _shop.Options.AccessToken, Request("VariantBySku", document,
            new JsonObject { ["first"] = 5, ["query"] = "sku:\"MUG-1\"", ["withSku"] = false }));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["errors"].Should().BeNull(body.ToJsonString());
        var found = body["data"]!["found"]!.AsObject();
        found.Select(p => p.Key).Should().Equal("__typename", "edges", "pageInfo");
        found["__typename"]!.GetValue<string>().Should().Be("ProductVariantConnection");
        var edge = found["edges"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        edge["cursor"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        edge["node"]!.AsObject().Select(p => p.Key).Should().Equal("variantId", "__typename", "price", "inventoryItem");
        edge["node"]!["price"]!.GetValue<string>().Should().Be("9.90");
        found["pageInfo"]!.AsObject().Select(p => p.Key).Should().Equal("hasNextPage", "hasPreviousPage");
    }

    public static TheoryData<string, string> EveryOperation => new()
    {
        { "OrdersUpdatedSince", "query OrdersUpdatedSince($first: Int!, $lineItemsFirst: Int!) { orders(first: $first) { ROOT } }" },
        { "OrderLineItems", "query OrderLineItems($id: ID!, $first: Int!) { order(id: $id) { ROOT } }" },
        { "OrderById", "query OrderById($id: ID!, $lineItemsFirst: Int!) { order(id: $id) { ROOT } }" },
        { "OrderRefunds", "query OrderRefunds($id: ID!) { order(id: $id) { ROOT } }" },
        { "CustomerByEmail", "query CustomerByEmail($first: Int!, $query: String!) { customers(first: $first, query: $query) { ROOT } }" },
        { "VariantBySku", "query VariantBySku($first: Int!, $query: String!) { productVariants(first: $first, query: $query) { ROOT } }" },
        { "AdjustInventory", "mutation AdjustInventory($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) @idempotent(key: \"k-all\") { ROOT } }" },
    };

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task EveryFieldTheSchemaDeclares_IsAnswered_NonNullOnesNeverNull(string operation, string template)
    {
        var customer = _shop.AddCustomer("ann@example.com", "Ann", "Lee");
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        var order = _shop.AddOrder(customer.Email, [new SimulatedOrderLine("MUG-1", 2)]);

        // A sale with everything the store model reads (taxes, shipping, a discount, a foreign currency) and a refund.
        var sale = _shop.AddSale(new Testing.Commerce.SimulatedSale
        {
            Email = "ann@example.com",
            Lines = [new Testing.Commerce.SimulatedSaleLine("MUG-1", 2, 9m, Discount: 1m, Tax: 1.36m, TaxRate: 0.08m)],
            Shipping = 4m,
            ShippingTax = 0.32m,
            Currency = "EUR",
            ExchangeRate = 1.1m,
            DiscountCode = "SAVE1",
            Tags = ["gift"],
            CreatedAt = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero),
        });
        _shop.AddRefund(sale, new Testing.Commerce.SimulatedSaleRefund
        {
            Lines = [new Testing.Commerce.SimulatedSaleRefundLine("MUG-1", 1, 8.5m, 0.68m, Restock: true)],
            Shipping = 4m,
            ShippingTax = 0.32m,
            CreatedAt = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero),
        });
        var (root, connection) = operation switch
        {
            "OrdersUpdatedSince" => ("OrderConnection", true),
            "OrderLineItems" or "OrderById" or "OrderRefunds" => ("Order", false),
            "CustomerByEmail" => ("CustomerConnection", true),
            "VariantBySku" => ("ProductVariantConnection", true),
            _ => ("InventoryAdjustQuantitiesPayload", false),
        };
        var document = template.Replace("ROOT", Selection(root, depth: 0), StringComparison.Ordinal);
        var variables = new JsonObject
        {
            ["first"] = 2, ["lineItemsFirst"] = 2, ["id"] = operation is "OrderById" or "OrderRefunds" ? "gid://shopify/Order/" + sale : order.Id,
            ["query"] = operation == "CustomerByEmail" ? "email:ann@example.com" : "sku:\"MUG-1\"",
            ["input"] = new JsonObject
            {
                ["name"] = "available", ["reason"] = "correction",
                ["changes"] = new JsonArray(new JsonObject { ["inventoryItemId"] = mug.InventoryItemId, ["locationId"] = _shop.DefaultLocationId, ["delta"] = 1, ["changeFromQuantity"] = 10 }),
            },
        };

        using var response = await PostAsync(_shop.Options.ApiVersion, _shop.Options.AccessToken, Request(operation, document, variables));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["errors"].Should().BeNull(body.ToJsonString());
        var data = body["data"]!.AsObject().Single().Value!;
        var problems = new List<string>();
        Check(data, root + "!", operation, problems);
        problems.Should().BeEmpty();
        if (connection)
        {
            data["nodes"]!.AsArray().Should().NotBeEmpty("the test seeded one of each");
        }
    }

    /// <summary>Every field of the type whose arguments are all optional; objects to a bounded depth, connections sized 2.</summary>
    private static string Selection(string type, int depth)
    {
        var parts = new List<string>();
        foreach (var (name, (fieldType, optionalArgs)) in Types.Value[type])
        {
            if (!optionalArgs)
            {
                continue;
            }

            var named = fieldType.Trim('[', ']', '!');
            if (!Types.Value.ContainsKey(named))
            {
                parts.Add(name);
            }
            else if (depth < 4)
            {
                var sized = named.EndsWith("Connection", StringComparison.Ordinal) ? $"{name}(first: 2)" : name;
                if (Selection(named, depth + 1) is { Length: > 0 } inner)
                {
                    parts.Add($"{sized} {{ {inner} }}");
                }
            }
        }

        return string.Join(' ', parts);
    }

    private static void Check(JsonNode? value, string typeText, string path, List<string> problems)
    {
        var nonNull = typeText.EndsWith('!');
        var inner = nonNull ? typeText[..^1] : typeText;
        if (value is null)
        {
            if (nonNull)
            {
                problems.Add($"{path}: {typeText} is null or missing");
            }

            return;
        }

        if (inner.StartsWith('['))
        {
            if (value is not JsonArray array)
            {
                problems.Add($"{path}: {typeText} is not a list");
                return;
            }

            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], inner[1..^1], $"{path}[{i}]", problems);
            }

            return;
        }

        if (Types.Value.TryGetValue(inner, out var fields))
        {
            var obj = value.AsObject();
            foreach (var (name, (fieldType, optionalArgs)) in fields)
            {
                if (!optionalArgs)
                {
                    continue;
                }

                if (!obj.ContainsKey(name) && !Types.Value.ContainsKey(fieldType.Trim('[', ']', '!')))
                {
                    problems.Add($"{path}.{name}: selected but not answered");
                    continue;
                }

                if (obj.ContainsKey(name))
                {
                    Check(obj[name], fieldType, $"{path}.{name}", problems);
                }
            }

            problems.AddRange(obj.Where(p => !fields.ContainsKey(p.Key)).Select(p => $"{path}.{p.Key}: not in the schema"));
            return;
        }

        var kind = value.GetValueKind();
        var ok = inner switch
        {
            "Boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "Int" or "Float" => kind == JsonValueKind.Number,
            _ when Enums.Value.TryGetValue(inner, out var values) => kind == JsonValueKind.String && values.Contains(value.GetValue<string>()),
            _ => kind == JsonValueKind.String, // ID, String, DateTime, Money, Decimal, URL, UnsignedInt64 are strings on the wire
        };
        if (!ok)
        {
            problems.Add($"{path}: {value.ToJsonString()} is not a {inner}");
        }
    }

    private static string Sdl()
    {
        using var stream = typeof(ShopifySimulator).Assembly.GetManifestResourceStream(SchemaResource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Dictionary<string, Dictionary<string, (string Type, bool OptionalArgs)>> ReadSchema()
    {
        var types = new Dictionary<string, Dictionary<string, (string, bool)>>(StringComparer.Ordinal);
        foreach (Match block in Regex.Matches(Sdl(), @"^type (\w+) \{\n(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            var fields = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
            foreach (Match field in Regex.Matches(block.Groups[2].Value, @"^  (\w+)(\((.*)\))?: (\S+)$", RegexOptions.Multiline))
            {
                var args = field.Groups[3].Value;
                var required = Regex.IsMatch(args, @"\w+: [^,=]+!(?!\s*=)(,|$)");
                fields[field.Groups[1].Value] = (field.Groups[4].Value, !required);
            }

            types[block.Groups[1].Value] = fields;
        }

        return types;
    }

    private static Dictionary<string, HashSet<string>> ReadEnums() =>
        Regex.Matches(Sdl(), @"^enum (\w+) \{\n(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline).ToDictionary(
            m => m.Groups[1].Value,
            m => Regex.Matches(m.Groups[2].Value, @"^  (\w+)$", RegexOptions.Multiline).Select(v => v.Groups[1].Value).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

    private static string VariantQuery(string fields) => Request(
        "VariantBySku",
        $"query VariantBySku($first: Int!, $query: String!) {{ productVariants(first: $first, query: $query) {{ nodes {{ {fields} }} }} }}",
        new JsonObject { ["first"] = 5, ["query"] = "sku:\"MUG-1\"" });

    private static string Request(string operation, string document, JsonObject variables) =>
        new JsonObject { ["query"] = document, ["operationName"] = operation, ["variables"] = variables }.ToJsonString();

    private async Task<HttpResponseMessage> PostAsync(string version, string? token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/api/{version}/graphql.json")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Add("X-Shopify-Access-Token", token);
        }

        return await _http.SendAsync(request);
    }
}
