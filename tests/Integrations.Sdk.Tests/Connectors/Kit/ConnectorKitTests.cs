using System.Net;
using System.Text.Json;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Connectors.Kit;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Tests.Connectors.Kit;

public sealed class ConnectorKitTests
{
    [Fact]
    public async Task ByCursor_FollowsCursorsUntilNone_AndFetchesLazily()
    {
        var fetched = new List<string?>();
        var pages = new Dictionary<string, Page<int>> { ["start"] = new([1, 2], "a"), ["a"] = new([3], "b"), ["b"] = new([], null) };

        var items = Paging.ByCursorAsync<int>("acme", (cursor, _) =>
        {
            fetched.Add(cursor);
            return Task.FromResult(pages[cursor ?? "start"]);
        });

        fetched.Should().BeEmpty();
        (await items.ToListAsync()).Should().Equal(1, 2, 3);
        fetched.Should().Equal(null, "a", "b");
    }

    [Fact]
    public async Task ByCursor_CursorThatDoesNotMove_IsAnInvalidResponseNotAnEndlessLoop()
    {
        var items = Paging.ByCursorAsync<int>("acme", (_, _) => Task.FromResult(new Page<int>([1], "same")));

        var read = async () => await items.ToListAsync();

        (await read.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("invalid_response");
    }

    [Fact]
    public async Task ByCursor_NullItem_IsAnInvalidResponse()
    {
        var items = Paging.ByCursorAsync<string>("acme", (_, _) => Task.FromResult(new Page<string>(["a", null], null)));

        var read = async () => await items.ToListAsync();

        (await read.Should().ThrowAsync<PlatformException>()).Which.Platform.Should().Be("acme");
    }

    [Fact]
    public async Task ByOffset_OneBased_StopsAtTheFirstShortPage()
    {
        var asked = new List<int>();
        var items = Paging.ByOffsetAsync<int>("acme", 2, (position, _) =>
        {
            asked.Add(position);
            IReadOnlyList<int> page = position switch { 1 => [1, 2], 3 => [3, 4], _ => [5] };
            return Task.FromResult<IReadOnlyList<int>?>(page);
        }, first: 1);

        (await items.ToListAsync()).Should().Equal(1, 2, 3, 4, 5);
        asked.Should().Equal(1, 3, 5);
    }

    [Fact]
    public async Task LookupThenCreate_FindsFirst_AndCreatesOnlyWhenNothingIsFound()
    {
        var created = 0;
        string? existing = null;
        var operation = SinkOperation.LookupThenCreate<string, string>(
            (_, _, _) => Task.FromResult(existing),
            (input, _, _) => Task.FromResult($"{input}-{++created}"),
            input => Require.Text(input, "A thing needs a name", "Name"));
        var context = new WriteContext("s", "k", "step", "key", 1, false);

        (await operation.ExecuteAsync("a", context)).Should().Be("a-1");
        existing = "a-1";
        (await operation.ExecuteAsync("a", context)).Should().Be("a-1");
        created.Should().Be(1);
        operation.Safety.Should().Be(WriteSafety.LookupThenCreate);
        var blank = () => operation.ExecuteAsync(" ", context);
        (await blank.Should().ThrowAsync<ArgumentException>()).WithMessage("*field Name*");
    }

    [Fact]
    public async Task WithIdempotencyKey_PassesTheStepsKey_AndRefusesOneTooLongBeforeSending()
    {
        var sent = new List<string>();
        var operation = SinkOperation.WithIdempotencyKey<string, int>("Acme", 10, (_, key, _) =>
        {
            sent.Add(key);
            return Task.FromResult(1);
        });

        await operation.ExecuteAsync("x", new WriteContext("s", "k", "step", "short-key", 1, false));
        var tooLong = () => operation.ExecuteAsync("x", new WriteContext("s", "k", "step", "a-key-longer-than-ten", 1, false));

        (await tooLong.Should().ThrowAsync<ArgumentException>()).WithMessage("*Acme accepts at most 10*");
        sent.Should().Equal("short-key");
    }

    [Fact]
    public async Task OrNullWhenMissing_NullOnlyForTheMissingEntitysNotFound()
    {
        static Func<CancellationToken, Task<string>> Fails(HttpStatusCode status, string code) =>
            _ => Task.FromException<string>(new PlatformException("acme", status, code, "no such thing"));

        (await PlatformReads.OrNullWhenMissingAsync(Fails(HttpStatusCode.NotFound, "resource_missing"), "resource_missing")).Should().BeNull();
        (await PlatformReads.OrNullWhenMissingAsync(Fails(HttpStatusCode.NotFound, "anything"))).Should().BeNull();
        var otherCode = () => PlatformReads.OrNullWhenMissingAsync(Fails(HttpStatusCode.NotFound, "route_missing"), "resource_missing");
        var serverError = () => PlatformReads.OrNullWhenMissingAsync(Fails(HttpStatusCode.InternalServerError, "resource_missing"));
        await otherCode.Should().ThrowAsync<PlatformException>();
        await serverError.Should().ThrowAsync<PlatformException>();
        (await PlatformReads.OrNullWhenMissingAsync(_ => Task.FromResult("found"))).Should().Be("found");
    }

    [Fact]
    public void ReadAs_FieldOfTheWrongType_IsAFormatErrorNamingWhatAndThePath()
    {
        var ok = PlatformJson.ReadAs<AcmeOptions>(JsonElement.Parse("""{"apiKey":"k","pageSize":5}"""), PlatformJson.CamelCase, "an Acme thing");
        var wrong = () => PlatformJson.ReadAs<AcmeOptions>(JsonElement.Parse("""{"pageSize":"many"}"""), PlatformJson.CamelCase, "an Acme thing");

        (ok.ApiKey, ok.PageSize).Should().Be(("k", 5));
        wrong.Should().Throw<FormatException>().WithMessage("an Acme thing ($.pageSize)*");
        PlatformJson.TryParse("<html>bad gateway</html>", out _).Should().BeFalse();
        PlatformJson.TryParse("""{"a":1}""", out var root).Should().BeTrue();
        root.GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task AddConnector_FromConfiguration_BindsValidatesOnStartAndRedactsDeclaredSecrets()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Acme:ApiKey"] = "acme-secret-value",
            ["Acme:PageSize"] = "0",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations().AddConnector<AcmeOptions>("acme", "Acme", configuration.GetSection("Acme"))
            .Validate(o => o.PageSize < 1 ? ["Acme: PageSize must be at least 1."] : [])
            .Secrets(o => [o.ApiKey]);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage("*PageSize*");
        host.Services.GetRequiredService<SecretRedactor>().Redact("key acme-secret-value").Should().NotContain("acme-secret-value");
    }

    [Fact]
    public void AddConnector_Twice_ThrowsNamingTheMethod()
    {
        var integrations = new ServiceCollection().AddIntegrations();
        integrations.AddConnector<AcmeOptions>("acme", "Acme Cloud", o => o.ApiKey = "k");

        var again = () => integrations.AddConnector<AcmeOptions>("acme", "Acme Cloud", o => o.ApiKey = "k");

        again.Should().Throw<InvalidOperationException>().WithMessage("*call AddAcmeCloud once*");
    }

    public sealed class AcmeOptions
    {
        public string ApiKey { get; set; } = string.Empty;

        public int PageSize { get; set; } = 10;
    }
}
