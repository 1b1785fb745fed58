using Integrations.Sdk.Testing;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FailedPaymentFollowUp;

/// <summary>What a delivery round did, for the summary lines.</summary>
public sealed record DeliveryResult(
    int Received, int Accepted, int Rejected, int Duplicates, int Completed, int DeadLettered, int Ambiguous,
    int Flagged, int Tasks, int Emails, int SideEffectDuplicates);

/// <summary>The sample's ASP.NET Core host, wired to the simulators.</summary>
public static class FollowUpHost
{
    /// <summary>Builds the web host: SQLite state, the three connectors, the sync, and the webhook endpoint on 127.0.0.1.</summary>
    public static WebApplication Build(string statePath, StripeSimulator stripe, HubSpotSimulator hubSpot, MailchimpTransactionalSimulator mailchimp)
    {
        ArgumentNullException.ThrowIfNull(stripe);
        ArgumentNullException.ThrowIfNull(hubSpot);
        ArgumentNullException.ThrowIfNull(mailchimp);
        mailchimp.AddTemplate(FollowUp.Template);
        foreach (var property in FollowUp.ContactProperties)
        {
            hubSpot.AddProperty("contacts", property);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error).AddFilter("Polly", LogLevel.None);
        builder.Services.AddHttpClient("deliveries");
        builder.Services.AddIntegrations()
            .UseSqliteState(statePath)
            .AddStripe(o =>
            {
                o.ApiKey = stripe.ApiKey;
                o.WebhookSecret = stripe.WebhookSecret;
                o.BaseAddress = stripe.BaseAddress;
            })
            .AddHubSpot(o =>
            {
                o.AccessToken = hubSpot.AccessToken;
                o.ClientSecret = hubSpot.ClientSecret;
                o.BaseAddress = hubSpot.BaseAddress;
            })
            .AddMailchimpTransactional(o =>
            {
                o.ApiKey = mailchimp.ApiKey;
                o.BaseAddress = mailchimp.ApiBaseAddress;
                o.FromEmail = "billing@example.com";
            })
            .AddFailedPaymentFollowUp()
            .ConfigureWebhooks(o => o.Concurrency = 8);
        var app = builder.Build();
        app.MapIntegrationWebhooks("/webhooks");
        return app;
    }

    /// <summary>
    /// Has the simulated Stripe fail <paramref name="events"/> payments and deliver each event <paramref name="duplicates"/>
    /// times, shuffled, plus <paramref name="forged"/> requests signed with a wrong secret; waits until the inbox is drained.
    /// </summary>
    public static async Task<DeliveryResult> DeliverAsync(
        WebApplication app, StripeSimulator stripe, HubSpotSimulator hubSpot, MailchimpTransactionalSimulator mailchimp,
        int events, int duplicates, int forged, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(stripe);
        ArgumentNullException.ThrowIfNull(hubSpot);
        ArgumentNullException.ThrowIfNull(mailchimp);
        var eventIds = new List<string>();
        for (var i = 0; i < events; i++)
        {
            var customer = stripe.AddCustomer($"customer{i}@example.com", $"Customer {i}");
            var subscription = stripe.AddSubscription(customer);
            var invoice = stripe.AddInvoice(customer, 1900 + (i * 100), subscriptionId: subscription);
            eventIds.Add(stripe.FailPayment(invoice));
        }

        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("deliveries");
        var target = new Uri(new Uri(app.Urls.First()), "/webhooks/stripe");
        var sent = await WebhookSender.DeliverAsync(
            client,
            target,
            eventIds.Select(id => stripe.CreateWebhook(id)),
            copies: duplicates,
            extra: eventIds.Take(forged).Select(id => stripe.CreateWebhook(id, secret: "whsec_forged_by_someone_else")),
            seed: seed,
            cancellationToken: cancellationToken).ConfigureAwait(false);

        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        InboxCounts counts;
        while ((counts = await inbox.CountAsync(cancellationToken).ConfigureAwait(false)) is { Pending: > 0 } or { Processing: > 0 })
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        var runs = await app.Services.GetRequiredService<IRunHistoryStore>().ListAsync(FollowUp.SyncName, limit: 100_000, cancellationToken).ConfigureAwait(false);
        return new DeliveryResult(
            sent.Sent,
            counts.Completed + counts.DeadLettered,
            sent.Refused,
            sent.Accepted - (counts.Completed + counts.DeadLettered),
            runs.Sum(r => r.Completed),
            runs.Sum(r => r.DeadLettered),
            runs.Sum(r => r.Ambiguous),
            hubSpot.Contacts.Count(c => c["payment_status"] == "failed"),
            hubSpot.Tasks.Count,
            mailchimp.Sent.Count,
            hubSpot.DuplicateTasks.Count + mailchimp.Duplicates.Count);
    }
}
