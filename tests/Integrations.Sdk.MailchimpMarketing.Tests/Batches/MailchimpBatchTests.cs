using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.MailchimpMarketing.Models;
using Integrations.Sdk.MailchimpMarketing.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Batches;

/// <summary>Batch operations for backfills: the request, the polled wait on the SDK's clock, and the results archive.</summary>
public sealed class MailchimpBatchTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = MailchimpHost.Clock();
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = MailchimpHost.Build(_server.Url!, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private MailchimpMarketingConnector Connector => _services.GetRequiredService<MailchimpMarketingConnector>();

    [Fact]
    public async Task StartBatch_PostsOperationsWithTheirBodyAsAJsonString()
    {
        _server.Given(Request.Create().WithPath("/3.0/batches").UsingPost())
            .RespondWith(Json("""{"id":"b1","status":"pending","total_operations":2,"finished_operations":0,"errored_operations":0,"submitted_at":"2026-11-28T02:00:00+00:00","completed_at":"","response_body_url":""}"""));
        var hash = MailchimpMarketingConnector.SubscriberHash("pat@example.com");

        var batch = await Connector.StartBatchAsync(
        [
            MailchimpBatchOperation.UpsertMember(new MemberUpsert("L1", "pat@example.com", new Dictionary<string, object?> { ["FNAME"] = "Pat" })),
            MailchimpBatchOperation.UpdateTags(new MemberTagsUpdate("L1", "pat@example.com", ["onboarding"]), "tag-pat"),
        ]);

        var body = JsonNode.Parse(_server.LogEntries.Single().RequestMessage!.Body!)!;
        body.ToJsonString().Should().Be(
            $$$"""{"operations":[{"method":"PUT","path":"/lists/L1/members/{{{hash}}}","body":"{\u0022email_address\u0022:\u0022pat@example.com\u0022,\u0022status_if_new\u0022:\u0022subscribed\u0022,\u0022merge_fields\u0022:{\u0022FNAME\u0022:\u0022Pat\u0022}}","operation_id":"{{{hash}}}"},{"method":"POST","path":"/lists/L1/members/{{{hash}}}/tags","body":"{\u0022tags\u0022:[{\u0022name\u0022:\u0022onboarding\u0022,\u0022status\u0022:\u0022active\u0022}]}","operation_id":"tag-pat"}]}""");
        JsonNode.Parse(body["operations"]![0]!["body"]!.GetValue<string>())!["status_if_new"]!.GetValue<string>().Should().Be("subscribed");
        batch.Id.Should().Be("b1");
        batch.IsFinished.Should().BeFalse();
        batch.CompletedAt.Should().BeNull();
        batch.SubmittedAt.Should().Be(MailchimpHost.Start);
    }

    [Fact]
    public async Task StartBatch_AnOperationWithAnAbsolutePath_IsRefusedNamingIt()
    {
        var act = () => Connector.StartBatchAsync([new MailchimpBatchOperation("GET", "/lists"), new MailchimpBatchOperation("GET", "https://us6.api.mailchimp.com/3.0/lists")]);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("operations[1].Path");
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task WaitForBatch_PollsOnTheSdkClockUntilFinished()
    {
        Status("pending", next: "started");
        Status("started", next: "finished", state: "started");
        _server.Given(Request.Create().WithPath("/3.0/batches/b1").UsingGet()).InScenario("batch").WhenStateIs("finished")
            .RespondWith(Json(Batch("finished", $"{_server.Url}/results/b1.tar.gz")));

        var wait = Connector.WaitForBatchAsync("b1", pollInterval: TimeSpan.FromSeconds(10), timeout: TimeSpan.FromMinutes(5));
        await Until.DoneAsync(wait, _time, TimeSpan.FromSeconds(5));

        var batch = await wait;
        batch.IsFinished.Should().BeTrue();
        batch.ErroredOperations.Should().Be(1);
        _server.LogEntries.Should().HaveCount(3);
        (_time.GetUtcNow() - MailchimpHost.Start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(20), "two waits of the poll interval on the SDK's clock");
    }

    [Fact]
    public async Task WaitForBatch_NotFinishedInTime_ThrowsTimeoutSayingItsStatus()
    {
        _server.Given(Request.Create().WithPath("/3.0/batches/b1").UsingGet()).RespondWith(Json(Batch("started", "")));

        var wait = Connector.WaitForBatchAsync("b1", pollInterval: TimeSpan.FromSeconds(10), timeout: TimeSpan.FromSeconds(30));
        await Until.DoneAsync(wait, _time, TimeSpan.FromSeconds(5));

        (await FluentActions.Awaiting(() => wait).Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("batch b1").And.Contain("'started'");
        _server.LogEntries.Should().HaveCount(4, "a read at once and one every 10 s within 30 s");
    }

    [Fact]
    public async Task ReadBatchResults_DownloadsTheArchiveWithoutCredentials_AndReadsEveryFile()
    {
        _server.Given(Request.Create().WithPath("/results/b1.tar.gz").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-gzip").WithBody(Archive(
                ("b1/", null),
                ("b1/0a1b.json", """[{"status_code":200,"operation_id":"op-1","response":"{\"id\":\"abc\",\"status\":\"subscribed\"}"},{"status_code":400,"operation_id":"op-2","response":"{\"type\":\"https://mailchimp.com/developer/marketing/docs/errors/\",\"title\":\"Invalid Resource\",\"status\":400,\"detail\":\"Please provide a valid email address.\",\"instance\":\"i\"}"}]"""),
                ("b1/2c3d.json", """[{"status_code":204,"operation_id":null,"response":""}]"""))));
        var batch = new MailchimpBatch { Id = "b1", Status = "finished", TotalOperations = 3, FinishedOperations = 3, ErroredOperations = 1, ResponseBodyUrl = $"{_server.Url}/results/b1.tar.gz" };

        var results = await Connector.ReadBatchResultsAsync(batch);

        results.Should().HaveCount(3);
        results[0].Should().Be(new MailchimpBatchOperationResult("op-1", 200, """{"id":"abc","status":"subscribed"}"""));
        results[0].Succeeded.Should().BeTrue();
        results[1].Succeeded.Should().BeFalse();
        results[1].Error.Should().Be("Please provide a valid email address.");
        results[2].OperationId.Should().BeNull();
        results[2].Succeeded.Should().BeTrue();
        _server.LogEntries.Single().RequestMessage!.Headers!.ContainsKey("Authorization").Should().BeFalse("the archive is on another host: Mailchimp's key must not travel there");
    }

    [Fact]
    public async Task ReadBatchResults_ABatchNotFinished_IsRefused_AndABrokenArchiveIsAnInvalidResponse()
    {
        var pending = () => Connector.ReadBatchResultsAsync(new MailchimpBatch { Id = "b2", Status = "started", TotalOperations = 1 });
        var broken = () => MailchimpMarketingConnector.ParseBatchResultsAsync(new MemoryStream(Archive(("b/x.json", """{"not":"an array"}"""))));

        (await pending.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("'started'");
        (await broken.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("invalid_response");
    }

    private void Status(string status, string next, string? state = null)
    {
        var given = _server.Given(Request.Create().WithPath("/3.0/batches/b1").UsingGet()).InScenario("batch");
        (state is null ? given : given.WhenStateIs(state)).WillSetStateTo(next).RespondWith(Json(Batch(status, "")));
    }

    private static string Batch(string status, string url) =>
        $$"""{"id":"b1","status":"{{status}}","total_operations":3,"finished_operations":{{(status == "finished" ? 3 : 1)}},"errored_operations":1,"submitted_at":"2026-11-28T02:00:00+00:00","completed_at":"{{(status == "finished" ? "2026-11-28T02:00:20+00:00" : "")}}","response_body_url":"{{url}}"}""";

    private static IResponseBuilder Json(string body) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);

    /// <summary>A .tar.gz with the given entries (a null content is a directory), as Mailchimp's results archive is.</summary>
    private static byte[] Archive(params (string Name, string? Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new PaxTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name);
                if (content is not null)
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                }

                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }
}
