using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Conformance;
using Microsoft.Extensions.Time.Testing;
using static Integrations.Sdk.MailchimpMarketing.Tests.Simulator.SimulatorFixture;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Simulator;

public sealed class MailchimpMarketingSimulatorTests
{
    [Fact]
    public async Task Auth_accepts_basic_with_any_user_and_bearer_and_refuses_missing_wrong_and_other_datacentre_keys()
    {
        await using var f = await StartAsync();
        using var client = new HttpClient { BaseAddress = f.Simulator.ApiBaseAddress };

        (await Send(client, null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Send(client, Basic("whoever", f.Simulator.ApiKey))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(client, new AuthenticationHeaderValue("Bearer", f.Simulator.AccessToken))).StatusCode.Should().Be(HttpStatusCode.OK);

        using var missing = await Send(client, null);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await JsonAsync(missing);
        problem["type"]!.GetValue<string>().Should().StartWith("https://mailchimp.com/developer/marketing/docs/errors/");
        problem["title"]!.GetValue<string>().Should().Be("API Key Missing");
        problem["status"]!.GetValue<int>().Should().Be(401);
        problem["instance"]!.GetValue<string>().Should().NotBeEmpty();

        using var wrong = await Send(client, Basic("x", "0123456789abcdef0123456789abcdef-us6"));
        (await JsonAsync(wrong))["title"]!.GetValue<string>().Should().Be("API Key Invalid");

        var otherDc = f.Simulator.ApiKey[..f.Simulator.ApiKey.LastIndexOf('-')] + "-us19";
        using var datacentre = await Send(client, Basic("x", otherDc));
        datacentre.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await JsonAsync(datacentre))["detail"]!.GetValue<string>().Should().Contain("different datacenter");

        (await Send(client, new AuthenticationHeaderValue("Bearer", "not-the-token"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        static async Task<HttpResponseMessage> Send(HttpClient client, AuthenticationHeaderValue? auth)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "ping");
            request.Headers.Authorization = auth;
            return await client.SendAsync(request);
        }
    }

    [Fact]
    public async Task Member_put_is_an_upsert_by_subscriber_hash_with_merge_fields_checked_against_the_list()
    {
        await using var f = await StartAsync();
        f.Simulator.AddMergeField(ListId, "COMPANY");

        using var noStatus = await f.PutMemberAsync("Ada@Example.com", new { email_address = "Ada@Example.com" });
        noStatus.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await JsonAsync(noStatus))["errors"]![0]!["field"]!.GetValue<string>().Should().Be("status_if_new");

        using var created = await f.PutMemberAsync("Ada@Example.com", new
        {
            email_address = "Ada@Example.com",
            status_if_new = "subscribed",
            merge_fields = new { FNAME = "Ada", COMPANY = "Analytical" },
        });
        created.StatusCode.Should().Be(HttpStatusCode.OK);
        var member = await JsonAsync(created);
        member["id"]!.GetValue<string>().Should().Be(Hash("ada@example.com"));
        member["status"]!.GetValue<string>().Should().Be("subscribed");
        member["list_id"]!.GetValue<string>().Should().Be(ListId);
        member["merge_fields"]!["COMPANY"]!.GetValue<string>().Should().Be("Analytical");
        member["unique_email_id"]!.GetValue<string>().Should().HaveLength(10);

        using var again = await f.PutMemberAsync("ada@example.com", new { email_address = "ada@example.com", status_if_new = "subscribed", merge_fields = new { LNAME = "Lovelace" } });
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        f.Simulator.MemberCount.Should().Be(1);
        f.Simulator.Member(ListId, "ADA@example.com")!["merge_fields"]!["FNAME"]!.GetValue<string>().Should().Be("Ada");

        // The hash of the address as typed (not lower-cased) is another member's: Mailchimp answers "Member Exists".
        var wrongHash = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("Ada@Example.com")));
        using var mismatch = await f.PutMemberAsync("Ada@Example.com", new { email_address = "Ada@Example.com", status_if_new = "subscribed" }, wrongHash);
        mismatch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await JsonAsync(mismatch))["title"]!.GetValue<string>().Should().Be("Member Exists");

        using var unknownTag = await f.PutMemberAsync("bob@example.com", new { email_address = "bob@example.com", status_if_new = "subscribed", merge_fields = new { AMOUNT = "12" } });
        var unknown = await JsonAsync(unknownTag);
        unknownTag.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unknown["detail"]!.GetValue<string>().Should().Be("Your merge fields were invalid.");
        unknown["errors"]![0]!["field"]!.GetValue<string>().Should().Be("AMOUNT");

        f.Simulator.RequireMergeField(ListId, "LNAME");
        using var required = await f.PutMemberAsync("bob@example.com", new { email_address = "bob@example.com", status_if_new = "subscribed", merge_fields = new { FNAME = "Bob" } });
        var requiredBody = await JsonAsync(required);
        requiredBody["errors"]![0]!["field"]!.GetValue<string>().Should().Be("LNAME");
        requiredBody["errors"]![0]!["message"]!.GetValue<string>().Should().Be("Please enter a value");
        f.Simulator.MemberCount.Should().Be(1);

        (await f.Client.GetAsync($"lists/{ListId}/members/{Hash("nobody@example.com")}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tags_are_added_and_removed_with_a_204_and_show_on_the_member()
    {
        await using var f = await StartAsync();
        f.Simulator.AddMember(ListId, "ada@example.com");
        var path = $"lists/{ListId}/members/{Hash("ada@example.com")}/tags";

        using var added = await f.Client.PostAsJsonAsync(path, new { tags = new[] { new { name = "onboarding", status = "active" }, new { name = "vip", status = "active" } } });
        added.StatusCode.Should().Be(HttpStatusCode.NoContent);
        f.Simulator.TaggedCount("onboarding").Should().Be(1);
        f.Simulator.Member(ListId, "ada@example.com")!["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().BeEquivalentTo("onboarding", "vip");

        using var removed = await f.Client.PostAsJsonAsync(path, new { tags = new[] { new { name = "vip", status = "inactive" } } });
        removed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var tags = await JsonAsync(await f.Client.GetAsync(path));
        tags["total_items"]!.GetValue<int>().Should().Be(1);
        f.Simulator.TaggedCount("vip").Should().Be(0);
    }

    [Fact]
    public async Task Journey_trigger_refuses_unknown_steps_non_members_and_contacts_inside_and_re_enters_a_contact_who_went_through()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var f = await StartAsync(time);
        f.Simulator.AddJourney("101", "202", ListId);
        f.Simulator.AddJourneyStep("101", "203");
        f.Simulator.AddMember(ListId, "ada@example.com");
        f.Simulator.JourneyLength = TimeSpan.FromDays(7);
        Task<HttpResponseMessage> Trigger(string step, string email) =>
            f.Client.PostAsJsonAsync($"customer-journeys/journeys/101/steps/{step}/actions/trigger", new { email_address = email });

        (await Trigger("999", "ada@example.com")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Trigger("203", "ada@example.com")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Trigger("202", "stranger@example.com")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Trigger("202", "Ada@Example.com")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        using var inside = await Trigger("202", "ada@example.com");
        inside.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await JsonAsync(inside))["detail"]!.GetValue<string>().Should().Contain("already in this journey");
        f.Simulator.JourneyEntries.Should().Be(1);
        f.Simulator.DuplicateJourneyEntries.Should().Be(0);

        time.Advance(TimeSpan.FromDays(8));
        (await Trigger("202", "ada@example.com")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        f.Simulator.JourneyEntries.Should().Be(2);
        f.Simulator.DuplicateJourneyEntries.Should().Be(1);
        f.Simulator.JourneyContacts("101", "202").Should().BeEquivalentTo("ada@example.com");
    }

    [Fact]
    public async Task Commit_then_drop_on_the_trigger_enters_the_contact_though_the_client_sees_no_answer()
    {
        await using var f = await StartAsync();
        f.Simulator.AddJourney("101", "202", ListId);
        f.Simulator.AddMember(ListId, "ada@example.com");
        f.Simulator.Faults.Add(Integrations.Sdk.Testing.MailchimpMarketing.MailchimpMarketingSimulator.TriggerJourneyEndpoint, FaultKind.CommitThenDrop);

        var send = () => f.Client.PostAsJsonAsync("customer-journeys/journeys/101/steps/202/actions/trigger", new { email_address = "ada@example.com" });
        await send.Should().ThrowAsync<HttpRequestException>();
        f.Simulator.JourneyEntries.Should().Be(1);

        // A blind resend after the journey (length zero by default) is a duplicate entry, as on Mailchimp.
        (await send()).StatusCode.Should().Be(HttpStatusCode.NoContent);
        f.Simulator.DuplicateJourneyEntries.Should().Be(1);
    }

    [Fact]
    public async Task Batch_advances_on_each_get_and_its_results_archive_holds_each_operations_answer()
    {
        await using var f = await StartAsync();
        var hash = Hash("ada@example.com");
        var operations = new JsonArray(
            new JsonObject { ["method"] = "PUT", ["path"] = $"/lists/{ListId}/members/{hash}", ["operation_id"] = "put-ada", ["body"] = """{"email_address":"ada@example.com","status_if_new":"subscribed"}""" },
            new JsonObject { ["method"] = "POST", ["path"] = $"/lists/{ListId}/members/{hash}/tags", ["operation_id"] = "tag-ada", ["body"] = """{"tags":[{"name":"onboarding","status":"active"}]}""" },
            new JsonObject { ["method"] = "GET", ["path"] = "/lists/nope", ["operation_id"] = "bad" });
        using var created = await f.Client.PostAsync("batches", new StringContent(new JsonObject { ["operations"] = operations }.ToJsonString(), Encoding.UTF8, "application/json"));
        var batch = await JsonAsync(created);
        batch["status"]!.GetValue<string>().Should().Be("pending");
        batch["total_operations"]!.GetValue<int>().Should().Be(3);
        f.Simulator.MemberCount.Should().Be(0);

        var id = batch["id"]!.GetValue<string>();
        (await JsonAsync(await f.Client.GetAsync($"batches/{id}")))["status"]!.GetValue<string>().Should().Be("started");
        var finished = await JsonAsync(await f.Client.GetAsync($"batches/{id}"));
        finished["status"]!.GetValue<string>().Should().Be("finished");
        finished["errored_operations"]!.GetValue<int>().Should().Be(1);
        f.Simulator.MemberCount.Should().Be(1);
        f.Simulator.TaggedCount("onboarding").Should().Be(1);

        using var download = new HttpClient();
        var archive = await download.GetByteArrayAsync(finished["response_body_url"]!.GetValue<string>());
        var results = new List<JsonNode>();
        await using (var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress))
        await using (var tar = new TarReader(gzip))
        {
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                if (entry.EntryType == TarEntryType.RegularFile)
                {
                    results.AddRange(JsonNode.Parse(entry.DataStream!)!.AsArray().Select(r => r!));
                }
            }
        }

        results.Select(r => (r["operation_id"]!.GetValue<string>(), r["status_code"]!.GetValue<int>()))
            .Should().BeEquivalentTo(new[] { ("put-ada", 200), ("tag-ada", 204), ("bad", 404) });
        JsonNode.Parse(results.Single(r => r["operation_id"]!.GetValue<string>() == "put-ada")["response"]!.GetValue<string>())!["email_address"]!
            .GetValue<string>().Should().Be("ada@example.com");
    }

    [Fact]
    public async Task An_eleventh_simultaneous_request_gets_429_too_many_requests()
    {
        var time = new FakeTimeProvider();
        await using var f = await StartAsync(time);
        f.Simulator.Faults.Latency = TimeSpan.FromSeconds(1);
        f.Simulator.Faults.Add("ping", FaultKind.Latency, 10);

        var held = Enumerable.Range(0, 10).Select(_ => f.Client.GetAsync("ping")).ToList();
        await Until(() => f.Simulator.InFlightCount == 10);
        using var eleventh = await f.Client.GetAsync("ping");
        eleventh.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await JsonAsync(eleventh))["title"]!.GetValue<string>().Should().Be("Too Many Requests");

        // A request counts as in flight a moment before its latency timer starts: advance until every one is released.
        await Until(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return held.All(h => h.IsCompleted);
        });
        var answers = await Task.WhenAll(held);
        answers.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        f.Simulator.ConnectionLimitedCount.Should().Be(1);
        f.Simulator.PeakInFlightCount.Should().Be(11);
    }

    [Fact]
    public async Task Webhook_is_created_after_a_validation_get_and_api_changes_are_delivered_as_form_posts_when_sources_api_is_on()
    {
        await using var f = await StartAsync();
        await using var receiver = await Receiver.StartAsync();

        using var refused = await f.Client.PostAsJsonAsync($"lists/{ListId}/webhooks", new { url = receiver.Url("/broken") });
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await JsonAsync(refused))["detail"]!.GetValue<string>().Should().Contain("couldn't verify the URL");

        var url = receiver.Url("/hooks/mailchimp?secret=s3cret");
        using var created = await f.Client.PostAsJsonAsync($"lists/{ListId}/webhooks", new
        {
            url,
            events = new { subscribe = true, unsubscribe = true, profile = true },
            sources = new { user = true, admin = true, api = true },
        });
        created.StatusCode.Should().Be(HttpStatusCode.OK);
        receiver.Gets.Should().Contain("/hooks/mailchimp?secret=s3cret");

        (await f.PutMemberAsync("ada@example.com", new { email_address = "ada@example.com", status_if_new = "subscribed", merge_fields = new { FNAME = "Ada" } })).EnsureSuccessStatusCode();
        var result = await f.Simulator.DeliverWebhooksAsync();
        result.Accepted.Should().Be(1);

        var post = receiver.Posts.Single();
        post.Path.Should().Be("/hooks/mailchimp?secret=s3cret");
        post.ContentType.Should().StartWith("application/x-www-form-urlencoded");
        post.Form["type"].Should().Be("subscribe");
        post.Form["fired_at"].Should().MatchRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$");
        post.Form["data[email]"].Should().Be("ada@example.com");
        post.Form["data[list_id]"].Should().Be(ListId);
        post.Form["data[merges][FNAME]"].Should().Be("Ada");

        // A second webhook without sources.api hears only the user's unsubscribe.
        var quiet = receiver.Url("/quiet");
        (await f.Client.PostAsJsonAsync($"lists/{ListId}/webhooks", new { url = quiet, sources = new { user = true, admin = true, api = false } })).EnsureSuccessStatusCode();
        (await f.PutMemberAsync("bob@example.com", new { email_address = "bob@example.com", status_if_new = "subscribed" })).EnsureSuccessStatusCode();
        f.Simulator.Unsubscribe(ListId, "ada@example.com");
        await f.Simulator.DeliverWebhooksAsync();
        receiver.Posts.Where(p => p.Path == "/quiet").Select(p => p.Form["type"]).Should().Equal("unsubscribe");
    }

    [Fact]
    public async Task Saved_state_is_found_again_by_a_second_simulator_and_a_repeated_trigger_counts_as_a_duplicate()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mc-sim-{Guid.NewGuid():N}.json");
        try
        {
            await using (var f = await StartAsync())
            {
                f.Simulator.AddJourney("101", "202", ListId);
                f.Simulator.AddMember(ListId, "ada@example.com");
                (await f.Client.PostAsJsonAsync($"lists/{ListId}/members/{Hash("ada@example.com")}/tags", new { tags = new[] { new { name = "onboarding", status = "active" } } })).EnsureSuccessStatusCode();
                (await f.Client.PostAsJsonAsync("customer-journeys/journeys/101/steps/202/actions/trigger", new { email_address = "ada@example.com" })).EnsureSuccessStatusCode();
                await f.Simulator.SaveAsync(file);
            }

            await using var second = new Integrations.Sdk.Testing.MailchimpMarketing.MailchimpMarketingSimulator();
            await second.LoadAsync(file);
            await second.StartAsync();
            second.MemberCount.Should().Be(1);
            second.TaggedCount("onboarding").Should().Be(1);
            second.JourneyEntries.Should().Be(1);

            using var client = new HttpClient { BaseAddress = second.ApiBaseAddress };
            client.DefaultRequestHeaders.Authorization = Basic("x", second.ApiKey);
            (await client.PostAsJsonAsync("customer-journeys/journeys/101/steps/202/actions/trigger", new { email_address = "ada@example.com" })).EnsureSuccessStatusCode();
            second.DuplicateJourneyEntries.Should().Be(1);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Exchanges_are_not_conformance_checked_since_no_Mailchimp_Marketing_spec_is_embedded()
    {
        ConformanceChecker.Default.Covers("mailchimp-marketing").Should().BeFalse();
        await using var f = await StartAsync();
        f.Simulator.Conformance.Should().Be(ConformanceMode.Enforce);
        f.Simulator.ConformanceRecorder.IsChecking(f.Simulator.Platform).Should().BeFalse();

        (await f.Client.GetAsync("ping")).EnsureSuccessStatusCode();
        (await f.Client.GetAsync("no/such/path")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        f.Simulator.ConformanceRecorder.Counts.Requests.Should().Be(0);
        f.Simulator.ConformanceViolations.Should().BeEmpty();
    }

    [Fact]
    public async Task Injected_server_errors_carry_a_problem_body()
    {
        await using var f = await StartAsync();
        f.Simulator.Faults.Add("lists.get", FaultKind.ServerError);
        using var response = await f.Client.GetAsync($"lists/{ListId}");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await JsonAsync(response))["status"]!.GetValue<int>().Should().Be(503);
        (await f.Client.GetAsync($"lists/{ListId}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
