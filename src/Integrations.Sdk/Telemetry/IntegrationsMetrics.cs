using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Integrations.Sdk.Telemetry;

/// <summary>
/// The SDK's metrics, on the meter named <see cref="IntegrationsTelemetry.Name"/>:
/// <c>integrations.records</c> (by sync and outcome), <c>integrations.http.retries</c>,
/// <c>integrations.ratelimit.waits</c>, <c>integrations.webhooks</c>, <c>integrations.webhooks.claims_lost</c> and the
/// <c>integrations.step.duration</c> histogram (seconds).
/// </summary>
internal sealed class IntegrationsMetrics
{
    private readonly Counter<long> _records;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _rateLimitWaits;
    private readonly Histogram<double> _stepDuration;
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _webhookClaimsLost;

    /// <summary>Creates the instruments through the host's meter factory.</summary>
    /// <param name="meterFactory">The meter factory.</param>
    public IntegrationsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(IntegrationsTelemetry.Name, IntegrationsTelemetry.Version);
        _records = meter.CreateCounter<long>("integrations.records", "{record}", "Records that reached an outcome, by sync and outcome.");
        _retries = meter.CreateCounter<long>("integrations.http.retries", "{retry}", "HTTP requests retried, by connector.");
        _rateLimitWaits = meter.CreateCounter<long>("integrations.ratelimit.waits", "{wait}", "Requests that waited for a rate-limit budget, by connector.");
        _webhooks = meter.CreateCounter<long>("integrations.webhooks", "{request}", "Webhook deliveries by source and outcome (accepted, duplicate, rejected, dead_lettered, handshake).");
        _webhookClaimsLost = meter.CreateCounter<long>("integrations.webhooks.claims_lost", "{change}", "Inbox changes refused because the message's claim had passed on (its lease ran out and it was claimed again), by source.");
        _stepDuration = meter.CreateHistogram<double>("integrations.step.duration", "s", "Duration of pipeline steps that ran, by sync, step and result.");
    }

    internal void RecordOutcome(string sync, string outcome) =>
        _records.Add(1, new TagList { { "integrations.sync", sync }, { "integrations.outcome", outcome } });

    internal void Webhook(string source, string outcome) =>
        _webhooks.Add(1, new TagList { { "integrations.webhook.source", source }, { "integrations.outcome", outcome } });

    internal void WebhookClaimLost(string source) =>
        _webhookClaimsLost.Add(1, new KeyValuePair<string, object?>("integrations.webhook.source", source));

    internal void Retry(string connector) => _retries.Add(1, new KeyValuePair<string, object?>("integrations.connector", connector));

    internal void RateLimitWait(string connector) => _rateLimitWaits.Add(1, new KeyValuePair<string, object?>("integrations.connector", connector));

    internal void StepDuration(string sync, string step, bool succeeded, TimeSpan duration) =>
        _stepDuration.Record(duration.TotalSeconds, new TagList
        {
            { "integrations.sync", sync },
            { "integrations.step", step },
            { "integrations.step.succeeded", succeeded },
        });
}

/// <summary>The names under which the SDK publishes traces and metrics.</summary>
public static class IntegrationsTelemetry
{
    /// <summary>The name of the SDK's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="Meter"/>: <c>Integrations.Sdk</c>.</summary>
    public const string Name = "Integrations.Sdk";

    internal const string Version = "0.1.0";

    /// <summary>The activity source: spans <c>integrations.run</c>, <c>integrations.record</c>, <c>integrations.step</c>, <c>integrations.http.attempt</c>.</summary>
    internal static readonly ActivitySource Source = new(Name, Version);
}
