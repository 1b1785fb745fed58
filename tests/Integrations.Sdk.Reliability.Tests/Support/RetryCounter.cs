using System.Diagnostics.Metrics;
using Integrations.Sdk.Telemetry;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>Counts the SDK's HTTP retries (<c>integrations.http.retries</c>) while it lives.</summary>
public sealed class RetryCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _retries;

    public RetryCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IntegrationsTelemetry.Name && instrument.Name == "integrations.http.retries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _retries, value));
        _listener.Start();
    }

    public long Retries => Interlocked.Read(ref _retries);

    public void Dispose() => _listener.Dispose();
}
