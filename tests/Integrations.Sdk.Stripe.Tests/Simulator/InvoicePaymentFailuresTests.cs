using System.Collections.Concurrent;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.Stripe.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Stripe.Tests.Simulator;

/// <summary>
/// <see cref="StripeConnector.InvoicePaymentFailures"/> against the Stripe simulator, and one sync fed by both the
/// signed <c>invoice.payment_failed</c> webhooks (through the ASP.NET Core endpoint and the inbox) and a reconciliation
/// run reading that source: one record type, one key, one side effect per failed payment.
/// </summary>
public sealed class InvoicePaymentFailuresTests : IAsyncLifetime
{
    private const string Sync = "stripe-failed-payments";
    private static readonly Uri Target = new("http://localhost/webhooks/stripe");

    private readonly StripeSimulator _simulator = new();
    private readonly ConcurrentQueue<string> _followUps = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations()
            .AddStripe(o =>
            {
                o.ApiKey = _simulator.ApiKey;
                o.WebhookSecret = _simulator.WebhookSecret;
                o.BaseAddress = _simulator.BaseAddress;
            })
            .AddSync<StripeInvoicePaymentFailed>(Sync, s => s
                .FromIncremental<StripeConnector>(c => c.InvoicePaymentFailures)
                .Key(f => $"stripe:invoice:{f.InvoiceId}:attempt:{f.AttemptCount}")
                .Step("follow-up", WriteSafety.Unsafe, (f, _, _) =>
                {
                    _followUps.Enqueue($"{f.InvoiceId}:{f.AttemptCount}");
                    return Task.FromResult(f.InvoiceId);
                }))
            .AddStripeInvoicePaymentFailedRoute(Sync)
            .ConfigureWebhooks(o => o.PollInterval = TimeSpan.FromMilliseconds(50));
        _app = builder.Build();
        _app.MapIntegrationWebhooks();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private StripeConnector Connector => _app.Services.GetRequiredService<StripeConnector>();

    [Fact]
    public async Task InvoicePaymentFailures_AsksStripeForThatTypeOnly_OldestFirst_AndResumesAfterItsCheckpoint()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        var first = _simulator.FailPayment(_simulator.AddInvoice(pat, 1000));
        await Connector.CreateCustomer.ExecuteAsync(new StripeCustomerDraft { Email = "sam@example.com" }, StripeHost.Write(step: "create"));
        var second = _simulator.FailPayment(_simulator.AddInvoice(pat, 2000));

        var read = await ReadAllAsync(Connector.InvoicePaymentFailures, null);
        await Connector.CreateCustomer.ExecuteAsync(new StripeCustomerDraft { Email = "kim@example.com" }, StripeHost.Write(step: "create-2"));
        var third = _simulator.FailPayment(_simulator.AddInvoice(pat, 3000));
        var more = await ReadAllAsync(Connector.InvoicePaymentFailures, read[^1].Checkpoint);

        _simulator.EventIds.Should().HaveCount(5, "two customer.created events sit between the payment failures");
        read.Select(r => r.Value.EventId).Should().Equal(first, second);
        read.Select(r => r.Checkpoint).Should().Equal(first, second);
        read.Select(r => r.Value.AmountDue).Should().Equal(1000, 2000);
        more.Select(r => r.Value.EventId).Should().Equal(third);
        _simulator.Requests.Where(r => r.Endpoint == "events.list").Select(r => r.Form).Should().Equal(
            "limit=100&type=invoice.payment_failed",
            $"ending_before={second}&limit=100&type=invoice.payment_failed");
    }

    [Fact]
    public async Task OneSync_FedByTheSignedWebhookAndByTheReconciliationRun_FollowsUpEachFailedPaymentOnce()
    {
        var pat = _simulator.AddCustomer("pat@example.com");
        string[] invoices = [_simulator.AddInvoice(pat, 1500), _simulator.AddInvoice(pat, 2500), _simulator.AddInvoice(pat, 3500)];
        var delivered = _simulator.FailPayment(invoices[0]);
        var lost = _simulator.FailPayment(invoices[1]);
        var late = _simulator.FailPayment(invoices[2]);
        var inbox = _app.Services.GetRequiredService<IWebhookInbox>();
        var runner = _app.Services.GetRequiredService<ISyncRunner>();
        using var client = _app.GetTestClient();

        // The first failure's webhook comes (twice, as Stripe may deliver it); the other two do not, for now.
        var delivery = await WebhookSender.DeliverAsync(client, Target, [_simulator.CreateWebhook(delivered)], copies: 2);
        await IntegrationsTestHost.UntilInboxDrainedAsync(inbox);
        _followUps.Should().ContainSingle();

        // The nightly reconciliation reads every failure from Stripe: the one the webhook brought ends Skipped.
        var reconciliation = await runner.RunAsync(Sync);

        // The webhooks of the other two come late, after the reconciliation handled them.
        await WebhookSender.DeliverAsync(client, Target, [_simulator.CreateWebhook(lost), _simulator.CreateWebhook(late)]);
        await IntegrationsTestHost.UntilInboxDrainedAsync(inbox);
        var again = await runner.RunAsync(Sync);

        delivery.Accepted.Should().Be(2);
        reconciliation.Summary.Status.Should().Be(RunStatus.Succeeded);
        reconciliation.Summary.Read.Should().Be(3);
        reconciliation.Summary.Skipped.Should().Be(1, "the webhook already followed up the first failure, and the key is the same on both paths");
        reconciliation.Summary.Completed.Should().Be(2);
        reconciliation.Summary.CheckpointAfter.Should().Be(late);
        again.Summary.Read.Should().Be(0, "the next run resumes after the last event read");
        _followUps.Should().BeEquivalentTo(invoices.Select(i => $"{i}:1"), "one follow-up per failed payment, whichever path brought it first");
        (await inbox.CountAsync()).Completed.Should().Be(3, "the late webhooks passed the inbox (it never saw the polled records) and ended Skipped in the step memo");
    }


    private static async Task<List<SourceRecord<T>>> ReadAllAsync<T>(IRecordSource<T> source, string? checkpoint)
    {
        var records = new List<SourceRecord<T>>();
        await foreach (var record in source.ReadAsync(checkpoint))
        {
            records.Add(record);
        }

        return records;
    }
}
