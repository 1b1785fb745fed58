using System.Net;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.MailchimpMarketing.Tests.Support;
using Integrations.Sdk.MailchimpMarketing.Webhooks;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Webhooks;

/// <summary>Mailchimp list webhooks: unsigned form posts checked by a secret in the URL, and the validation GET.</summary>
public sealed class MailchimpListWebhookTests
{
    private const string Subscribe =
        "type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054&data%5Bemail%5D=api%40mailchimp.com"
        + "&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BEMAIL%5D=api%40mailchimp.com&data%5Bmerges%5D%5BFNAME%5D=Mailchimp&data%5Bmerges%5D%5BLNAME%5D=API"
        + "&data%5Bmerges%5D%5BINTERESTS%5D=Group1%2CGroup2&data%5Bip_opt%5D=10.20.10.30&data%5Bip_signup%5D=10.20.10.30";

    private readonly MailchimpListWebhookSource _source = new(Options.Create(new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey, WebhookSecret = MailchimpHost.WebhookSecret }));

    private static WebhookRequest Request(string method, string query, string body = "") =>
        new(method, new Uri("https://app.example.com/webhooks/mailchimp-marketing" + query),
            [new("Content-Type", "application/x-www-form-urlencoded")], Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Verify_TheSecretInTheQuery_IsRequiredAndCompared()
    {
        _source.Name.Should().Be("mailchimp-marketing");
        _source.Verify(Request("POST", "?secret=" + MailchimpHost.WebhookSecret)).Should().Be(WebhookVerification.Valid);
        _source.Verify(Request("POST", "?secret=hook-secret-0123456780")).Failure.Should().Contain("'secret' query parameter does not match").And.NotContain(MailchimpHost.WebhookSecret);
        _source.Verify(Request("POST", "")).Failure.Should().Contain("no 'secret' query parameter");
    }

    [Fact]
    public void Verify_WithoutAConfiguredSecret_RefusesNamingTheOption()
    {
        var source = new MailchimpListWebhookSource(Options.Create(new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey }));

        var verdict = source.Verify(Request("POST", "?secret=x"));

        verdict.IsValid.Should().BeFalse("a request that cannot be checked is refused (401), not a server error");
        verdict.Failure.Should().Contain("MailchimpMarketingOptions.WebhookSecret");
    }

    [Fact]
    public void Parse_TheFormBecomesNestedJson_WithAStableCompositeId()
    {
        var e = _source.Parse(Request("POST", "", Subscribe)).Single();

        e.EventType.Should().Be("subscribe");
        e.EventId.Should().Be($"subscribe:a6b5da1054:{MailchimpMarketingConnector.SubscriberHash("api@mailchimp.com")}:2009-03-26T21:35:57");
        e.OccurredAt.Should().Be(new DateTimeOffset(2009, 3, 26, 21, 35, 57, TimeSpan.Zero));
        var payload = JsonNode.Parse(e.Payload)!;
        payload["data"]!["merges"]!["FNAME"]!.GetValue<string>().Should().Be("Mailchimp");
        payload["data"]!["merges"]!["INTERESTS"]!.GetValue<string>().Should().Be("Group1,Group2");
        payload["data"]!["email"]!.GetValue<string>().Should().Be("api@mailchimp.com");
        payload["fired_at"]!.GetValue<string>().Should().Be("2009-03-26 21:35:57");
    }

    [Fact]
    public void Parse_UpemailAndCampaign_AreKeyedByWhatTheyAreAbout()
    {
        var upemail = _source.Parse(Request("POST", "", "type=upemail&fired_at=2009-03-26+22%3A15%3A09&data%5Blist_id%5D=a6b5da1054&data%5Bnew_id%5D=51da8c3259&data%5Bnew_email%5D=api%2Bnew%40mailchimp.com&data%5Bold_email%5D=api%2Bold%40mailchimp.com")).Single();
        var campaign = _source.Parse(Request("POST", "", "type=campaign&fired_at=2009-03-26+21%3A31%3A21&data%5Bid%5D=5aa2102003&data%5Bsubject%5D=Test+Campaign+Subject&data%5Bstatus%5D=sent&data%5Breason%5D=&data%5Blist_id%5D=a6b5da1054")).Single();

        upemail.EventId.Should().Be($"upemail:a6b5da1054:{MailchimpMarketingConnector.SubscriberHash("api+old@mailchimp.com")}>{MailchimpMarketingConnector.SubscriberHash("api+new@mailchimp.com")}:2009-03-26T22:15:09");
        campaign.EventId.Should().Be("campaign:a6b5da1054:5aa2102003:2009-03-26T21:31:21");
        JsonNode.Parse(campaign.Payload)!["data"]!["subject"]!.GetValue<string>().Should().Be("Test Campaign Subject");
    }

    [Fact]
    public void Parse_AMissingField_IsNamed()
    {
        var act = () => _source.Parse(Request("POST", "", "type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bemail%5D=a%40b.c"));

        act.Should().Throw<FormatException>().WithMessage("*data[list_id]*");
    }

    [Fact]
    public async Task Endpoint_ValidationGet_IsAnswered200_OnlyWithTheSecret_AndStoresNothing()
    {
        await using var app = await StartAsync(new ConcurrentQueue<ListEvent>());
        var client = app.GetTestClient();

        var valid = await client.GetAsync(new Uri("/webhooks/mailchimp-marketing?secret=" + MailchimpHost.WebhookSecret, UriKind.Relative));
        var wrong = await client.GetAsync(new Uri("/webhooks/mailchimp-marketing?secret=guess", UriKind.Relative));

        valid.StatusCode.Should().Be(HttpStatusCode.OK);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Services.GetRequiredService<IWebhookInbox>().CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 0));
    }

    [Fact]
    public async Task Endpoint_Deliveries_AreStoredOnce_AndReachTheSyncAsJson_ForgeriesRefused()
    {
        var received = new ConcurrentQueue<ListEvent>();
        await using var app = await StartAsync(received);
        var client = app.GetTestClient();
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();

        var first = await PostAsync(client, "?secret=" + MailchimpHost.WebhookSecret, Subscribe);
        var again = await PostAsync(client, "?secret=" + MailchimpHost.WebhookSecret, Subscribe);
        var forged = await PostAsync(client, "?secret=guess", Subscribe.Replace("FNAME%5D=Mailchimp", "FNAME%5D=Mallory", StringComparison.Ordinal));
        var unreadable = await PostAsync(client, "?secret=" + MailchimpHost.WebhookSecret, "type=subscribe&data%5Blist_id%5D=a6b5da1054");
        await IntegrationsTestHost.UntilInboxDrainedAsync(inbox, TimeSpan.FromSeconds(10));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unreadable.StatusCode.Should().Be(HttpStatusCode.OK, "a delivery that cannot be read is kept for review, not refused");
        (await inbox.CountAsync()).Should().Be(new InboxCounts(0, 0, 1, 1));
        received.Should().ContainSingle().Which.Data.Merges["FNAME"].Should().Be("Mailchimp");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string query, string form) =>
        client.PostAsync(new Uri("/webhooks/mailchimp-marketing" + query, UriKind.Relative), new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

    private static async Task<WebApplication> StartAsync(ConcurrentQueue<ListEvent> received)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations()
            .AddMailchimpMarketing(o =>
            {
                o.ApiKey = MailchimpHost.ApiKey;
                o.WebhookSecret = MailchimpHost.WebhookSecret;
            })
            .AddSync<ListEvent>("mailchimp-list-events", s => s.FromEvents().Key(e => $"mailchimp:member:{e.Data.Email}")
                .Step("record", WriteSafety.NaturalUpsert, (e, _, _) =>
                {
                    received.Enqueue(e);
                    return Task.FromResult(e.Data.Email);
                }))
            .AddWebhookRoute<ListEvent>("mailchimp-marketing", "mailchimp-list-events", eventTypes: ["subscribe"]);
        var app = builder.Build();
        app.MapIntegrationWebhooks();
        await app.StartAsync();
        return app;
    }

    /// <summary>The payload of a list event, as a sync reads it.</summary>
    public sealed record ListEvent(
        [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("data")] ListEventData Data);

    /// <summary>The <c>data</c> of a list event.</summary>
    public sealed record ListEventData(
        [property: System.Text.Json.Serialization.JsonPropertyName("email")] string Email,
        [property: System.Text.Json.Serialization.JsonPropertyName("merges")] Dictionary<string, string> Merges);
}
