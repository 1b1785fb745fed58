using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Tests.Support;

/// <summary>Builds a service provider with the SDK, the fake API client on a WireMock URL, a fake clock and captured logs.</summary>
public static class TestHost
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static ServiceProvider Build(
        string baseUrl,
        FakeTimeProvider time,
        Action<ConnectorHttpOptions>? tune = null,
        Action<IIntegrationsBuilder>? integrations = null,
        Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        collection.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false);
        var builder = collection.AddIntegrations();
        builder.AddConnectorClient<IFakeApi>("fake", (_, o) =>
        {
            o.BaseAddress = new Uri(baseUrl);
            o.RetryBaseDelay = TimeSpan.Zero;
            o.RateLimit = new RateLimitOptions { PermitsPerWindow = 10_000, Window = TimeSpan.FromSeconds(1) };
            tune?.Invoke(o);
        });
        integrations?.Invoke(builder);
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static TestClock Clock() => new(Start);

    /// <summary>Waits (bounded) for a condition driven by other threads, without sleeping on a fixed delay.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Yield();
        }
    }
}
