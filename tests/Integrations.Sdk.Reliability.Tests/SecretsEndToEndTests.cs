using System.Collections.Concurrent;
using FailedPaymentFollowUp;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Reliability.Tests.Support;
using Integrations.Sdk.Sqlite;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.Reliability.Tests;

/// <summary>
/// No secret leaks, end to end: both samples' syncs run on the real connectors against the simulators, with faults
/// on every endpoint (the OAuth token endpoint included), access tokens that expire every few seconds so QuickBooks
/// refreshes (and rotates its refresh token) again and again, and every logger at Trace. No access token, refresh
/// token, API key, signing secret or client secret may appear in a log record (message, state, exception), a run
/// report, a dead letter, an inbox message or a run summary.
/// </summary>
public sealed class SecretsEndToEndTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-reliability", Guid.NewGuid().ToString("N"));

    public SecretsEndToEndTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ShopifyToQuickBooks_WithFaultsAndTokenRefreshes_LeaksNoSecret()
    {
        var state = Path.Combine(_directory, "state.db");
        var clock = new AcceleratedClock(20);
        await using var platforms = await OfflinePlatforms.OpenAsync(state, orders: 300, seed: 5, faultRate: 0);
        platforms.Shopify.Options.AccessToken = "shpat_SECRET_shopify_0a1b2c3d";
        platforms.Shopify.Options.WebhookSecret = "SECRET_shopify_webhook_4e5f";
        platforms.QuickBooks.ClientSecret = "SECRET_qbo_client_6a7b8c";
        platforms.QuickBooks.WebhookVerifierToken = "SECRET_qbo_verifier_9d0e";
        platforms.QuickBooks.AccessTokenLifetime = TimeSpan.FromSeconds(3);
        platforms.QuickBooks.RequestsPerSecond = 0;
        platforms.QuickBooks.RequestsPerMinute = 0;
        platforms.QuickBooks.MaxConcurrentRequests = 0;
        foreach (var simulator in new SimulatorHost[] { platforms.Shopify, platforms.QuickBooks })
        {
            simulator.Faults.Latency = TimeSpan.FromMilliseconds(20);
            simulator.Faults.Hang = TimeSpan.FromSeconds(1);
            simulator.Faults.SetRandom(0.3, seed: 5);
        }

        var builder = SampleHost.CreateBuilder(state, platforms, concurrency: 8);
        builder.Services.PostConfigure<Integrations.Sdk.Shopify.ShopifyOptions>(o => o.WebhookSecret = platforms.Shopify.Options.WebhookSecret);
        builder.Services.PostConfigure<Integrations.Sdk.QuickBooks.QuickBooksOptions>(o => o.WebhookVerifierToken = platforms.QuickBooks.WebhookVerifierToken);
        FastTransport.Configure(builder.Services, clock, "shopify", "quickbooks");
        // The breaker has its own test; here every request should reach the (faulty) platforms and their logs.
        foreach (var connector in new[] { "shopify", "quickbooks" })
        {
            builder.Services.PostConfigure<Integrations.Sdk.Transport.ConnectorHttpOptions>(connector, o => o.CircuitMinimumThroughput = 100_000);
        }
        EveryLoggerAtTrace(builder.Services);
        var tokens = RecordTokens(builder.Services);

        RunReport report;
        using (var host = builder.Build())
        {
            await host.StartAsync();
            report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(OrdersToInvoices.SyncName);
            var leaks = await CollectAsync(host.Services, OrdersToInvoices.SyncName, report);

            await host.StopAsync();

            var secrets = tokens.Secrets.Concat([
                platforms.Shopify.Options.AccessToken, platforms.Shopify.Options.WebhookSecret,
                platforms.QuickBooks.ClientSecret, platforms.QuickBooks.WebhookVerifierToken, platforms.InitialRefreshToken!,
            ]).ToList();

            report.Summary.Status.Should().Be(RunStatus.Succeeded, report.Summary.Error);
            platforms.QuickBooks.RefreshCount.Should().BeGreaterThan(2, "tokens were refreshed (and refresh tokens rotated) during the run");
            tokens.Secrets.Should().HaveCountGreaterThan(4);
            (platforms.Shopify.Faults.InjectedTotal + platforms.QuickBooks.Faults.InjectedTotal).Should().BeGreaterThan(50, $"{report} {string.Join(" | ", report.Records.Take(3).Select(r => r.Reason))}");
            report.Summary.Read.Should().Be(300);
            AssertNoSecret(leaks, secrets);
        }
    }

    [Fact]
    public async Task FailedPaymentFollowUp_WithFaultsAndForgedWebhooks_LeaksNoSecret()
    {
        var clock = new AcceleratedClock(20);
        await using var platforms = await FollowUpPlatforms.StartAsync(clock, seed: 6, stripeApiKey: "sk_test_SECRET_stripe_key_1234", stripeWebhookSecret: "whsec_SECRET_stripe_5678");
        platforms.HubSpot.AccessToken = "pat-SECRET-hubspot-9abc";
        platforms.HubSpot.ClientSecret = "SECRET_hubspot_client_def0";
        platforms.Mailchimp.ApiKey = "md-SECRET_mandrill_1357";
        platforms.HubSpot.Faults.SetRandom(0.3, seed: 6);
        platforms.Mailchimp.Faults.SetRandom(0.3, seed: 7);
        // These simulators run on the accelerated clock, and so do their faults' hangs: one wall second, longer than an attempt.
        platforms.HubSpot.Faults.Hang = clock.FromWall(TimeSpan.FromSeconds(1));
        platforms.Mailchimp.Faults.Hang = clock.FromWall(TimeSpan.FromSeconds(1));
        var failures = platforms.FailPayments(150, withoutEmailEvery: 10);

        await using var app = FollowUpPlatforms.BuildHost(Path.Combine(_directory, "state.db"), platforms, clock, concurrency: 16,
            logging: _ => { }, services: EveryLoggerAtTrace);
        await app.StartAsync();
        await platforms.DeliverAsync(app, failures.Select(f => f.EventId));
        // Forged deliveries: signed with a wrong secret, and an expected signature must never be echoed back.
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("deliveries");
        foreach (var failure in failures.Take(5))
        {
            using var forged = await platforms.Stripe.CreateWebhook(failure.EventId, secret: "whsec_forged").PostAsync(client, FollowUpPlatforms.Target(app));
        }

        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        await Polling.UntilAsync(async () => await inbox.CountAsync() is { Pending: 0, Processing: 0 }, "the inbox is drained");
        var leaks = await CollectAsync(app.Services, FollowUp.SyncName, report: null);
        foreach (var failure in failures)
        {
            leaks.Add((await inbox.GetAsync(InboxMessage.CreateId("stripe", failure.EventId)))?.Error ?? "");
        }

        await app.StopAsync();

        (platforms.HubSpot.Faults.InjectedTotal + platforms.Mailchimp.Faults.InjectedTotal).Should().BeGreaterThan(30);
        AssertNoSecret(leaks, [
            platforms.Stripe.ApiKey, platforms.Stripe.WebhookSecret, platforms.HubSpot.AccessToken, platforms.HubSpot.ClientSecret, platforms.Mailchimp.ApiKey,
        ]);
    }

    /// <summary>Every category, every level: no filter rule of the sample's own logging is left.</summary>
    private static void EveryLoggerAtTrace(IServiceCollection services)
    {
        services.RemoveAll<ILoggerProvider>();
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.Configure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = LogLevel.Trace;
        });
    }

    private static TokenRecorder RecordTokens(IServiceCollection services)
    {
        var recorder = new TokenRecorder();
        services.RemoveAll<ITokenStore>();
        services.AddSingleton<ITokenStore>(sp => recorder.Wrap(sp.GetRequiredService<SqliteStateStore>()));
        return recorder;
    }

    /// <summary>Everything a person or a log shipper could see: log records, the run report, dead letters, run history.</summary>
    private static async Task<List<string>> CollectAsync(IServiceProvider services, string sync, RunReport? report)
    {
        var texts = new List<string>();
        var records = services.GetFakeLogCollector().GetSnapshot();
        records.Should().Contain(r => r.Level == LogLevel.Trace || r.Level == LogLevel.Debug, "logging really is at Trace");
        foreach (var record in records)
        {
            texts.Add(record.Message);
            texts.Add(record.Exception?.ToString() ?? "");
            texts.AddRange((record.StructuredState ?? []).Select(p => p.Value ?? ""));
        }

        if (report is not null)
        {
            texts.Add(report.ToString());
            texts.Add(report.Summary.Error ?? "");
            texts.AddRange(report.Records.Select(r => r.Reason ?? ""));
        }

        foreach (var entry in await services.GetRequiredService<IDeadLetterStore>().ListAsync(sync, limit: 100_000))
        {
            texts.Add(entry.Reason);
            texts.Add(entry.Payload);
            texts.Add(entry.ErrorType ?? "");
        }

        foreach (var run in await services.GetRequiredService<IRunHistoryStore>().ListAsync(sync, limit: 100_000))
        {
            texts.Add(run.Error ?? "");
        }

        return texts;
    }

    private static void AssertNoSecret(IReadOnlyCollection<string> texts, IReadOnlyCollection<string> secrets)
    {
        texts.Should().NotBeEmpty();
        secrets.Should().OnlyContain(s => s.Length >= 8);
        foreach (var secret in secrets)
        {
            texts.Where(t => t.Contains(secret, StringComparison.Ordinal)).Should().BeEmpty($"a secret ({secret[..4]}...) must never be shown");
        }
    }

    /// <summary>Records every OAuth token the SDK stores (access and rotated refresh tokens), to look for them afterwards.</summary>
    private sealed class TokenRecorder
    {
        private readonly ConcurrentBag<string> _secrets = [];

        public IReadOnlyCollection<string> Secrets => [.. _secrets.Distinct()];

        public ITokenStore Wrap(ITokenStore inner) => new Recording(inner, this);

        private sealed class Recording(ITokenStore inner, TokenRecorder recorder) : ITokenStore
        {
            public ValueTask<OAuthToken?> GetAsync(string connector, string account, CancellationToken cancellationToken = default) =>
                inner.GetAsync(connector, account, cancellationToken);

            public ValueTask SaveAsync(string connector, string account, OAuthToken token, CancellationToken cancellationToken = default)
            {
                recorder._secrets.Add(token.AccessToken);
                if (token.RefreshToken is { } refresh)
                {
                    recorder._secrets.Add(refresh);
                }

                return inner.SaveAsync(connector, account, token, cancellationToken);
            }
        }
    }
}
