using FailedPaymentFollowUp;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.Data.Sqlite;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>
/// The fifth scenario end to end: signed Stripe webhooks over loopback into the ASP.NET Core endpoint, the SQLite
/// inbox, and the sync to HubSpot and Mailchimp Transactional simulators.
/// </summary>
public sealed class FailedPaymentFollowUpTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"));
    private readonly StripeSimulator _stripe = new(seed: 5);
    private readonly HubSpotSimulator _hubSpot = new(seed: 5);
    private readonly MailchimpTransactionalSimulator _mailchimp = new(seed: 5);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        foreach (var simulator in new SimulatorHost[] { _stripe, _hubSpot, _mailchimp })
        {
            await simulator.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        await _hubSpot.DisposeAsync();
        await _mailchimp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DuplicatedShuffledDeliveries_YieldOneFlagOneTaskOneEmailPerFailedPayment_AndForgedOnesNothing()
    {
        await using var app = FollowUpHost.Build(Path.Combine(_directory, "state.db"), _stripe, _hubSpot, _mailchimp);
        await app.StartAsync();

        var result = await FollowUpHost.DeliverAsync(app, _stripe, _hubSpot, _mailchimp, events: 12, duplicates: 3, forged: 4, seed: 5);
        await app.StopAsync();

        result.Should().BeEquivalentTo(new
        {
            Received = 40, Accepted = 12, Rejected = 4, Duplicates = 24,
            Completed = 12, DeadLettered = 0, Ambiguous = 0,
            Flagged = 12, Tasks = 12, Emails = 12, SideEffectDuplicates = 0,
        });
    }

    [Fact]
    public async Task CrmFailingAThirdOfTheTime_StillYieldsExactlyOneTaskPerFailedPayment()
    {
        _hubSpot.Faults.SetRandom(0.3, seed: 9);
        await using var app = FollowUpHost.Build(Path.Combine(_directory, "state.db"), _stripe, _hubSpot, _mailchimp);
        await app.StartAsync();

        var result = await FollowUpHost.DeliverAsync(app, _stripe, _hubSpot, _mailchimp, events: 12, duplicates: 2, forged: 0, seed: 9);
        await app.StopAsync();

        _hubSpot.Faults.InjectedTotal.Should().BeGreaterThan(5);
        result.Flagged.Should().Be(12);
        result.Tasks.Should().Be(12);
        result.Emails.Should().Be(12);
        result.SideEffectDuplicates.Should().Be(0);
    }
}
