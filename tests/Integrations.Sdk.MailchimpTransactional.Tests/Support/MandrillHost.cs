using Integrations.Sdk.Connectors;
using Integrations.Sdk.MailchimpTransactional.Models;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.MailchimpTransactional.Tests.Support;

/// <summary>Builds a service provider with the SDK and the Mailchimp Transactional connector, with captured logs.</summary>
public static class MandrillHost
{
    public const string ApiKey = "md-TEST-api-key-0123456789";

    public const string Sync = "orders-to-email";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A provider whose connector talks to <paramref name="baseUrl"/> (WireMock's <c>/api/1.0/</c>).</summary>
    public static ServiceProvider Build(string baseUrl, TimeProvider time, Action<MailchimpTransactionalOptions>? configure = null) =>
        Build(time, o =>
        {
            o.ApiKey = ApiKey;
            o.BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/api/1.0/");
            o.FromEmail = "shop@example.com";
            o.FromName = "The Shop";
            configure?.Invoke(o);
        });

    /// <summary>A provider whose connector talks to the simulator.</summary>
    public static ServiceProvider Build(MailchimpTransactionalSimulator simulator, TimeProvider time, Action<IIntegrationsBuilder>? integrations = null) =>
        Build(time, o =>
        {
            o.ApiKey = simulator.ApiKey;
            o.BaseAddress = simulator.ApiBaseAddress;
        }, integrations);

    public static ServiceProvider Build(TimeProvider time, Action<MailchimpTransactionalOptions> configure, Action<IIntegrationsBuilder>? integrations = null) =>
        IntegrationsTestHost.Build(time, i => i.AddMailchimpTransactional(configure), services => services
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false)
            .RetryWithoutDelay(MailchimpTransactionalConnector.ConnectorName), integrations);

    /// <summary>The write context the sync runner would pass: a deterministic idempotency key.</summary>
    public static WriteContext Write(string recordKey = "shop:order:1001", string step = "confirmation") =>
        IntegrationsTestHost.Write(Sync, recordKey, step);

    public static TemplateEmail Email(string to = "ada@example.com", string template = "order-confirmation") => new()
    {
        TemplateName = template,
        To = [new EmailRecipient { Email = to, Name = "Ada Lovelace" }],
        MergeVars = new Dictionary<string, string?> { ["ORDER"] = "1001", ["TOTAL"] = "42.00" },
        Tags = ["order-confirmation"],
        Metadata = new Dictionary<string, string> { ["order"] = "1001" },
    };
}
