using FailedPaymentFollowUp;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>One failed payment the simulated Stripe recorded.</summary>
public sealed record FailedPayment(string EventId, string InvoiceId, string? Email)
{
    /// <summary>The record key the sample's sync gives it (first attempt).</summary>
    public string Key => $"stripe:invoice:{InvoiceId}:attempt:1";
}

/// <summary>
/// The FailedPaymentFollowUp sample's platforms (Stripe, HubSpot, Mailchimp Transactional simulators on
/// 127.0.0.1) and a host that runs the sample's real sync and webhook route (<see cref="FollowUp.AddFailedPaymentFollowUp"/>)
/// behind the ASP.NET Core endpoint, like <see cref="FollowUpHost"/> but on a given clock and with tunable settings.
/// </summary>
public sealed class FollowUpPlatforms : IAsyncDisposable
{
    private FollowUpPlatforms(StripeSimulator stripe, HubSpotSimulator hubSpot, MailchimpTransactionalSimulator mailchimp)
    {
        Stripe = stripe;
        HubSpot = hubSpot;
        Mailchimp = mailchimp;
    }

    public StripeSimulator Stripe { get; }

    public HubSpotSimulator HubSpot { get; }

    public MailchimpTransactionalSimulator Mailchimp { get; }

    public static async Task<FollowUpPlatforms> StartAsync(TimeProvider clock, int seed, string? stripeApiKey = null, string? stripeWebhookSecret = null)
    {
        var platforms = new FollowUpPlatforms(
            new StripeSimulator(stripeApiKey, stripeWebhookSecret, clock, seed),
            // No search lag here: on a clock 200 times faster than the wall, a create that a loaded machine serves
            // 50 ms after the client gave up lands 10 s late in platform time, past any lag the connector waits
            // for, so the cell would measure the machine's load. The lag is proven in FailedPaymentSearchLagTests.
            new HubSpotSimulator(clock, seed) { RequestsPerWindow = 0, SearchIndexLag = TimeSpan.Zero },
            new MailchimpTransactionalSimulator(clock, seed));
        platforms.Mailchimp.AddTemplate(FollowUp.Template);
        foreach (var property in FollowUp.ContactProperties)
        {
            platforms.HubSpot.AddProperty("contacts", property);
        }
        foreach (var simulator in new SimulatorHost[] { platforms.Stripe, platforms.HubSpot, platforms.Mailchimp })
        {
            await simulator.StartAsync();
        }

        return platforms;
    }

    /// <summary>Fails <paramref name="count"/> payments, one per customer; every <paramref name="withoutEmailEvery"/>-th customer has no email.</summary>
    public List<FailedPayment> FailPayments(int count, int withoutEmailEvery = 0, string prefix = "customer")
    {
        var failures = new List<FailedPayment>(count);
        for (var i = 0; i < count; i++)
        {
            var email = withoutEmailEvery > 0 && i % withoutEmailEvery == withoutEmailEvery - 1 ? null : $"{prefix}{i}@example.com";
            var customer = Stripe.AddCustomer(email, $"Customer {i}");
            var subscription = Stripe.AddSubscription(customer);
            var invoice = Stripe.AddInvoice(customer, 1900 + (i % 50 * 100), subscriptionId: subscription);
            failures.Add(new FailedPayment(Stripe.FailPayment(invoice), invoice, email));
        }

        return failures;
    }

    /// <summary>
    /// Posts each event's webhook to the host, signed just before it is sent (the accelerated clock would age a
    /// signature made long before); returns the requests answered 2xx.
    /// </summary>
    public async Task<int> DeliverAsync(WebApplication app, IEnumerable<string> eventIds)
    {
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("deliveries");
        var target = Target(app);
        var accepted = 0;
        foreach (var id in eventIds)
        {
            using var response = await Stripe.CreateWebhook(id).PostAsync(client, target);
            accepted += response.IsSuccessStatusCode ? 1 : 0;
        }

        return accepted;
    }

    public static Uri Target(WebApplication app) => new(new Uri(app.Urls.First()), "/webhooks/stripe");

    /// <summary>
    /// The sample's host (SQLite state, the three connectors, the sync and its route, the endpoint on 127.0.0.1), on
    /// <paramref name="clock"/>, with <paramref name="concurrency"/> inbox messages processed at once.
    /// </summary>
    public static WebApplication BuildHost(
        string statePath, FollowUpPlatforms platforms, AcceleratedClock clock, int concurrency,
        Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddHttpClient("deliveries");
        builder.Services.AddIntegrations()
            .UseSqliteState(statePath)
            .AddStripe(o =>
            {
                o.ApiKey = platforms.Stripe.ApiKey;
                o.WebhookSecret = platforms.Stripe.WebhookSecret;
                o.BaseAddress = platforms.Stripe.BaseAddress;
                o.WebhookTolerance = TimeSpan.FromHours(1);   // the most Stripe's options allow: 18 s of wall time on the accelerated clock
            })
            .AddHubSpot(o =>
            {
                o.AccessToken = platforms.HubSpot.AccessToken;
                o.ClientSecret = platforms.HubSpot.ClientSecret;
                o.BaseAddress = platforms.HubSpot.BaseAddress;

                // A task create the SDK gave up on (its 250 ms attempt timeout) can still be applied by the simulator
                // afterwards. On the 200x clock the default 10 s wait is 50 ms of wall time, which a busy machine
                // overruns: the lookup ran before the write landed and a second task was created (3 in 7 cells at a
                // load average of 30). One second of wall time covers such stalls, as 10 s covers HubSpot's lag.
                o.SearchIndexLag = clock.FromWall(TimeSpan.FromSeconds(1));
            })
            .AddMailchimpTransactional(o =>
            {
                o.ApiKey = platforms.Mailchimp.ApiKey;
                o.BaseAddress = platforms.Mailchimp.ApiBaseAddress;
                o.FromEmail = "billing@example.com";
            })
            .AddFailedPaymentFollowUp()
            .ConfigureWebhooks(o =>
            {
                o.Concurrency = concurrency;
                o.Lease = TimeSpan.FromDays(1);   // on the accelerated clock; no message outlives its claim here
            });
        FastTransport.Configure(builder.Services, clock, "stripe", "hubspot", "mailchimp-transactional");
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapIntegrationWebhooks("/webhooks");
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await Stripe.DisposeAsync();
        await HubSpot.DisposeAsync();
        await Mailchimp.DisposeAsync();
    }
}
