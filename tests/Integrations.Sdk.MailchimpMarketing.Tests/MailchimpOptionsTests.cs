using Integrations.Sdk.MailchimpMarketing.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.MailchimpMarketing.Tests;

/// <summary>Settings, data-centre routing, start-up validation and the connection limit.</summary>
public sealed class MailchimpOptionsTests
{
    [Fact]
    public void ApiKey_RoutesToItsDataCentre()
    {
        var options = new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey };

        options.ResolveBaseAddress().Should().Be(new Uri("https://us6.api.mailchimp.com/3.0/"));
        options.Validate().Should().BeEmpty();
    }

    [Fact]
    public void OAuth_RoutesToTheGivenDataCentre_AndABaseAddressGetsThe30Path()
    {
        new MailchimpMarketingOptions { AccessToken = "t", DataCenter = "US19" }.ResolveBaseAddress().Should().Be(new Uri("https://us19.api.mailchimp.com/3.0/"));
        new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey, BaseAddress = new Uri("http://127.0.0.1:5000") }.ResolveBaseAddress()
            .Should().Be(new Uri("http://127.0.0.1:5000/3.0/"));
        new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey, BaseAddress = new Uri("http://127.0.0.1:5000/3.0/") }.ResolveBaseAddress()
            .Should().Be(new Uri("http://127.0.0.1:5000/3.0/"));
    }

    [Fact]
    public void Validate_NamesEachSettingAtFault_AndNeverEchoesTheKey()
    {
        var errors = new MailchimpMarketingOptions
        {
            ApiKey = "secretkeywithoutdc",
            DataCenter = "europe",
            BaseAddress = new Uri("http://mailchimp.example.com/"),
            MaxConnections = 11,
            WebhookSecret = "short",
        }.Validate().ToList();

        errors.Should().Contain(e => e.Contains("ApiKey must end in its data centre"));
        errors.Should().Contain(e => e.Contains("DataCenter 'europe'"));
        errors.Should().Contain(e => e.Contains("BaseAddress must be an absolute https URI"));
        errors.Should().Contain(e => e.Contains("MaxConnections must be between 1 and 10"));
        errors.Should().Contain(e => e.Contains("WebhookSecret must be at least 16"));
        errors.Should().NotContain(e => e.Contains("secretkeywithoutdc"));
        new MailchimpMarketingOptions().Validate().Should().ContainSingle().Which.Should().Contain("ApiKey").And.Contain("AccessToken");
        new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey, AccessToken = "t" }.Validate().Should().ContainSingle().Which.Should().Contain("not both");
        new MailchimpMarketingOptions { AccessToken = "t" }.Validate().Should().ContainSingle().Which.Should().Contain("DataCenter is required");
    }

    [Fact]
    public void Startup_FromConfiguration_FailsNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mailchimp:AccessToken"] = "oauth-token" }).Build();
        using var services = new ServiceCollection().AddLogging().AddIntegrations().AddMailchimpMarketing(configuration.GetSection("Mailchimp")).Services.BuildServiceProvider();

        var act = () => services.GetRequiredService<IOptions<MailchimpMarketingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*DataCenter is required*");
    }

    [Fact]
    public void ToString_ShowsNoSecret()
    {
        var text = new MailchimpMarketingOptions { ApiKey = MailchimpHost.ApiKey, WebhookSecret = MailchimpHost.WebhookSecret }.ToString();

        text.Should().Contain("us6").And.NotContain("0123456789abcdef").And.NotContain(MailchimpHost.WebhookSecret);
    }

    [Fact]
    public void AddingTwice_IsRefused()
    {
        var builder = new ServiceCollection().AddIntegrations().AddMailchimpMarketing(o => o.ApiKey = MailchimpHost.ApiKey);

        var act = () => builder.AddMailchimpMarketing(o => o.ApiKey = MailchimpHost.ApiKey);

        act.Should().Throw<InvalidOperationException>().WithMessage("*already registered*");
    }

    [Fact]
    public async Task MaxConnections_LimitsTheRequestsInFlight()
    {
        var gate = new Lock();
        var inFlight = 0;
        var peak = 0;
        var done = 0;
        using var release = new SemaphoreSlim(0);
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseUrls("http://127.0.0.1:0");
        web.Logging.ClearProviders();
        await using var platform = web.Build();
        platform.MapGet("/3.0/lists/{list}/members/{hash}", async (string hash) =>
        {
            lock (gate)
            {
                peak = Math.Max(peak, ++inFlight);
            }

            await release.WaitAsync();
            lock (gate)
            {
                inFlight--;
                done++;
            }

            return Results.Json(new Dictionary<string, object> { ["id"] = hash, ["email_address"] = "x@example.com", ["status"] = "subscribed", ["list_id"] = "L1" });
        });
        await platform.StartAsync();
        await using var services = MailchimpHost.Build(platform.Urls.First(), TimeProvider.System, o => o.MaxConnections = 3);
        var connector = services.GetRequiredService<MailchimpMarketingConnector>();

        var reads = Enumerable.Range(0, 8).Select(i => connector.GetMemberAsync("L1", $"member{i}@example.com")).ToList();
        // One answer at a time: before each, exactly as many requests are in flight as the limit lets through (all
        // eight at once without it), and the next one starts only when an answer frees its connection.
        for (var answered = 0; answered < reads.Count; answered++)
        {
            var expected = Math.Min(3, reads.Count - answered);
            await Integrations.Sdk.Testing.IntegrationsTestHost.UntilAsync(() => { lock (gate) { return inFlight == expected && done == answered; } }, $"{expected} requests in flight after {answered} answers");
            release.Release();
        }

        await Task.WhenAll(reads);

        peak.Should().Be(3);
        reads.Should().OnlyContain(r => r.Result != null);
    }
}
