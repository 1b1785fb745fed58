using Integrations.Sdk;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.MailchimpTransactional;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Stripe;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.MailchimpTransactional.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FailedPaymentFollowUp;

/// <summary>
/// The fifth scenario: when a recurring Stripe payment fails, the customer is flagged in HubSpot, a follow-up task
/// is created for support, and the customer gets an email — each exactly once, however often Stripe delivers the event.
/// </summary>
public static class FollowUp
{
    /// <summary>The sync's name.</summary>
    public const string SyncName = "stripe-failed-payment-follow-up";

    /// <summary>The Mailchimp Transactional template of the customer email.</summary>
    public const string Template = "payment-failed";

    /// <summary>
    /// The custom contact properties the sync writes; they must exist in the HubSpot portal (created once in HubSpot's
    /// settings, or with <c>HubSpotSimulator.AddProperty</c>), as HubSpot refuses writes of properties it does not have.
    /// </summary>
    public static readonly IReadOnlyList<string> ContactProperties = ["payment_status", "last_failed_invoice"];

    /// <summary>Registers the sync and routes Stripe's <c>invoice.payment_failed</c> webhooks to it.</summary>
    public static IIntegrationsBuilder AddFailedPaymentFollowUp(this IIntegrationsBuilder integrations) => integrations
        .AddSync<StripeInvoicePaymentFailed>(SyncName, sync => sync
            .FromEvents()
            .Key(failure => $"stripe:invoice:{failure.InvoiceId}:attempt:{failure.AttemptCount}")
            .Where(failure => !string.IsNullOrEmpty(failure.CustomerEmail))
            .WithConcurrency(8)
            .WithStepRetries(3, TimeSpan.FromMilliseconds(200))
            .Step("flag-in-crm", sp => sp.GetRequiredService<HubSpotConnector>().UpsertContact, (failure, _) => new ContactUpsert(
                failure.CustomerEmail!,
                new Dictionary<string, string?>
                {
                    ["payment_status"] = "failed",
                    ["last_failed_invoice"] = failure.InvoiceId,
                }))
            .Step("follow-up-task", sp => sp.GetRequiredService<HubSpotConnector>().CreateTaskForContact, (failure, step) => new TaskDraft(
                step.ResultOf<HubSpotContact>("flag-in-crm").Id,
                $"Payment failed: invoice {failure.InvoiceId}",
                failure.OccurredAt.AddDays(1),
                Body: $"Attempt {failure.AttemptCount} of {failure.AmountDue / 100m:0.00} {failure.Currency?.ToUpperInvariant()} failed. Invoice: {failure.HostedInvoiceUrl}",
                Priority: "HIGH"))
            .Step("email-customer", sp => sp.GetRequiredService<MailchimpTransactionalConnector>().SendTemplate, (failure, _) => new TemplateEmail
            {
                TemplateName = Template,
                To = [new EmailRecipient { Email = failure.CustomerEmail! }],
                MergeVars = new Dictionary<string, string?>
                {
                    ["INVOICE_URL"] = failure.HostedInvoiceUrl,
                    ["AMOUNT"] = $"{failure.AmountDue / 100m:0.00} {failure.Currency?.ToUpperInvariant()}",
                },
                Tags = ["payment-failed"],
            }))
        .AddWebhookRoute<StripeInvoicePaymentFailed>("stripe", SyncName, StripeWebhookSource.ReadInvoicePaymentFailed, StripeInvoicePaymentFailed.EventType);
}
