// The application of docs/getting-started.md: when a Stripe invoice payment fails, a HubSpot task for the account
// owner, only for invoices over $100, once per invoice however often the webhook comes, and Stripe re-checked nightly
// for failures whose webhook never arrived. The #regions are the page's code blocks (DocsTests keeps them equal).
#region services
using Integrations.Sdk.Connectors;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.Stripe;
using Integrations.Sdk.Stripe.Models;

var builder = WebApplication.CreateBuilder(args);
var integrations = builder.Services.AddIntegrations()
    .UseSqliteState(builder.Configuration["Integrations:StatePath"] ?? "integrations.db")
    .AddStripe(builder.Configuration.GetSection("Integrations:Stripe"))
    .AddHubSpot(builder.Configuration.GetSection("Integrations:HubSpot"));
#endregion

#region sync
const string FailedPayments = "stripe-failed-payments";
var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

integrations.AddSync<StripeInvoicePaymentFailed>(FailedPayments, sync => sync
    .FromIncremental<StripeConnector>(stripe => stripe.InvoicePaymentFailures)  // Stripe's event list: the nightly re-check
    .Cron("0 2 * * *", newYork)                                                // every night at 02:00, New York time
    .Key(failure => $"stripe:invoice:{failure.InvoiceId}")                     // one record, so one task, per invoice
    .Where(failure => failure.Currency == "usd" && failure.AmountDue > 100_00) // over $100: amounts are in cents
    .Step("find-contact", WriteSafety.ReadOnly, async (failure, step, ct) =>
    {
        var contact = string.IsNullOrWhiteSpace(failure.CustomerEmail) ? null
            : await step.Get<HubSpotConnector>().FindContactByEmailAsync(failure.CustomerEmail, ["hubspot_owner_id"], ct);
        if (contact is null)
        {
            step.Reject($"no HubSpot contact has the email '{failure.CustomerEmail}' of invoice {failure.InvoiceId}");
        }

        return contact;
    })
    .Step("owner-task", sp => sp.GetRequiredService<HubSpotConnector>().CreateTaskForContact, (failure, step) =>
    {
        var contact = step.ResultOf<HubSpotContact>("find-contact");
        return new TaskDraft(
            contact.Id,
            $"Payment failed: invoice {failure.InvoiceId}",
            DueAt: failure.OccurredAt.AddDays(1),
            Body: $"{failure.AmountDue / 100m:0.00} USD could not be collected. Invoice: {failure.HostedInvoiceUrl}",
            OwnerId: contact.Property("hubspot_owner_id"));
    }));
#endregion

#region webhook
integrations.AddStripeInvoicePaymentFailedRoute(FailedPayments);  // invoice.payment_failed webhooks feed the same sync

var app = builder.Build();
app.MapIntegrationWebhooks();    // POST /webhooks/stripe: verified, deduplicated, stored, then processed
app.MapHealthChecks("/health");  // Healthy, Degraded (dead letters wait) or Unhealthy (a platform is down)
app.Run();
#endregion
