extern alias GettingStartedApp;

#region test-usings
using FluentAssertions;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
#endregion

namespace Integrations.Sdk.EndToEnd.Tests;

// Every web sample has a public Program (generated for top-level statements): the getting-started one is aliased.
using Program = GettingStartedApp::Program;

/// <summary>
/// Runs the application of docs/getting-started.md (samples/GettingStarted, its Program.cs as written) against the
/// Stripe and HubSpot simulators on 127.0.0.1, on a fake clock; the page's "Test it" code is this file's #regions.
/// </summary>
public sealed class GettingStartedTests : IAsyncLifetime
{
    #region test-setup
    // One fake clock for the app and both simulators: 22:00 in New York, four hours before the nightly run.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 15, 22, 0, 0, TimeSpan.FromHours(-4)));
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"getting-started-{Guid.NewGuid():N}.db");
    private StripeSimulator _stripe = null!;
    private HubSpotSimulator _hubSpot = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _stripe = new StripeSimulator(timeProvider: _clock);
        _hubSpot = new HubSpotSimulator(timeProvider: _clock);
        await _stripe.StartAsync();   // each on 127.0.0.1, a free port
        await _hubSpot.StartAsync();

        // The app's own Program.cs, with the simulators' addresses and keys as its configuration.
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Integrations:StatePath", _state)
            .UseSetting("Integrations:Stripe:ApiKey", _stripe.ApiKey)
            .UseSetting("Integrations:Stripe:WebhookSecret", _stripe.WebhookSecret)
            .UseSetting("Integrations:Stripe:BaseAddress", _stripe.BaseAddress.ToString())
            .UseSetting("Integrations:HubSpot:AccessToken", _hubSpot.AccessToken)
            .UseSetting("Integrations:HubSpot:BaseAddress", _hubSpot.BaseAddress.ToString())
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock)));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
        await _hubSpot.DisposeAsync();
        SqliteConnection.ClearAllPools();   // then the state file can go
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_state)!, Path.GetFileName(_state) + "*"))
        {
            File.Delete(file);
        }
    }

    /// <summary>Waits until every webhook the app accepted has been processed.</summary>
    private Task WebhooksProcessedAsync() =>
        IntegrationsTestHost.UntilInboxDrainedAsync(_app.Services.GetRequiredService<IWebhookInbox>());
    #endregion

    [Fact]
    public async Task FailedPaymentWebhooks_DeliveredThreeTimesEach_GiveTheOwnerOneTaskPerInvoiceOverOneHundredDollars()
    {
        #region test-webhook
        var ada = _stripe.AddCustomer("ada@example.com", "Ada Lovelace");
        var contact = _hubSpot.AddContact("ada@example.com", new Dictionary<string, string?> { ["hubspot_owner_id"] = "7001" });
        var large = _stripe.AddInvoice(ada, 250_00);  // $250.00, in cents as Stripe counts
        var small = _stripe.AddInvoice(ada, 40_00);   // $40.00
        string[] events = [_stripe.FailPayment(large), _stripe.FailPayment(large), _stripe.FailPayment(small)];

        var client = _app.CreateClient();
        var sent = await WebhookSender.DeliverAsync(
            client, new Uri(client.BaseAddress!, "/webhooks/stripe"), events.Select(id => _stripe.CreateWebhook(id)), copies: 3);
        await WebhooksProcessedAsync();

        sent.Accepted.Should().Be(9);                   // every copy answered 200
        var task = _hubSpot.Tasks.Should().ContainSingle().Subject;  // two failures of one invoice, one task; none for $40
        task["hs_task_subject"].Should().Be($"Payment failed: invoice {large}");
        task["hubspot_owner_id"].Should().Be("7001");   // the account owner, read from the contact
        task.ContactIds.Should().Equal(contact.Id);
        #endregion
    }

    [Fact]
    public async Task AFailureWhoseWebhookNeverCame_IsFoundByTheNightlyRun_AndOnesAlreadyHandledGetNoSecondTask()
    {
        #region test-nightly
        var ada = _stripe.AddCustomer("ada@example.com", "Ada Lovelace");
        _hubSpot.AddContact("ada@example.com", new Dictionary<string, string?> { ["hubspot_owner_id"] = "7001" });
        var delivered = _stripe.FailPayment(_stripe.AddInvoice(ada, 250_00));
        var client = _app.CreateClient();
        await WebhookSender.DeliverAsync(client, new Uri(client.BaseAddress!, "/webhooks/stripe"), [_stripe.CreateWebhook(delivered)]);
        await WebhooksProcessedAsync();
        _hubSpot.Tasks.Should().ContainSingle();        // Ada's, from the webhook

        var grace = _stripe.AddCustomer("grace@example.com", "Grace Hopper");
        _hubSpot.AddContact("grace@example.com", new Dictionary<string, string?> { ["hubspot_owner_id"] = "7002" });
        var missed = _stripe.AddInvoice(grace, 120_00);
        _stripe.FailPayment(missed);                    // in Stripe's event list, but its webhook never arrives

        _clock.Advance(TimeSpan.FromHours(3));          // 01:00 in New York: no run yet
        _hubSpot.Tasks.Should().ContainSingle();
        _clock.Advance(TimeSpan.FromHours(1));          // 02:00: the nightly run reads Stripe's events
        await IntegrationsTestHost.UntilAsync(() => _hubSpot.Tasks.Count == 2, "the nightly run has created the missed task");

        _hubSpot.Tasks.Should().ContainSingle(t => t["hs_task_subject"] == $"Payment failed: invoice {missed}")
            .Which["hubspot_owner_id"].Should().Be("7002");
        _hubSpot.DuplicateTasks.Should().BeEmpty();     // the webhook's invoice, read again at night, got no second task
        #endregion
    }

    [Fact]
    public async Task AFailureWithoutAHubSpotContact_IsDeadLetteredWithTheReason_AndReplayedOnceTheContactExists()
    {
        #region test-dead-letters
        var client = _app.CreateClient();
        var bob = _stripe.AddCustomer("bob@example.com", "Bob");
        var invoice = _stripe.AddInvoice(bob, 500_00);
        await WebhookSender.DeliverAsync(
            client, new Uri(client.BaseAddress!, "/webhooks/stripe"), [_stripe.CreateWebhook(_stripe.FailPayment(invoice))]);
        await WebhooksProcessedAsync();

        var deadLetters = _app.Services.GetRequiredService<IDeadLetterStore>();
        var letter = (await deadLetters.ListAsync(sync: "stripe-failed-payments")).Should().ContainSingle().Subject;
        letter.RecordKey.Should().Be($"stripe:invoice:{invoice}");
        letter.Reason.Should().Contain("no HubSpot contact has the email 'bob@example.com'");
        (await client.GetStringAsync("/health")).Should().Be("Degraded");   // dead letters wait for review

        _hubSpot.AddContact("bob@example.com", new Dictionary<string, string?> { ["hubspot_owner_id"] = "7003" });
        var replay = await _app.Services.GetRequiredService<ISyncRunner>().ReplayAsync(letter.Id);

        replay.Summary.Completed.Should().Be(1);
        _hubSpot.Tasks.Should().ContainSingle().Which["hubspot_owner_id"].Should().Be("7003");
        (await deadLetters.ListAsync(sync: "stripe-failed-payments")).Should().BeEmpty();
        #endregion
    }
}
