using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Support;

/// <summary>Builds a service provider with the SDK and the Mailchimp Marketing connector, on a given clock.</summary>
public static class MailchimpHost
{
    /// <summary>A key of Mailchimp's shape: 32 hex digits, a dash, the data centre.</summary>
    public const string ApiKey = "0123456789abcdef0123456789abcdef-us6";

    public const string WebhookSecret = "hook-secret-0123456789";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A provider whose connector talks to <paramref name="baseUrl"/> (WireMock) with the API key.</summary>
    public static ServiceProvider Build(string baseUrl, TimeProvider time, Action<MailchimpMarketingOptions>? configure = null, Action<ConnectorHttpOptions>? tune = null) =>
        IntegrationsTestHost.Build(
            time,
            i => i.AddMailchimpMarketing(o =>
            {
                o.ApiKey = ApiKey;
                o.BaseAddress = new Uri(baseUrl);
                o.WebhookSecret = WebhookSecret;
                configure?.Invoke(o);
            }),
            services => services
                .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false)
                .RetryWithoutDelay(MailchimpMarketingConnector.ConnectorName, o =>
                {
                    // Tests drive a fake clock forward while requests are in flight: no attempt may time out on it.
                    o.AttemptTimeout = TimeSpan.FromDays(1);
                    o.TotalTimeout = TimeSpan.FromDays(1);
                    tune?.Invoke(o);
                }));

    public static WriteContext Write(string recordKey = "crm:deal:1001", string step = "journey") =>
        IntegrationsTestHost.Write("closed-won-onboarding", recordKey, step);
}
