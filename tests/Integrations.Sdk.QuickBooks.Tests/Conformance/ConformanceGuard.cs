using System.Collections.Concurrent;
using Integrations.Sdk.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Integrations.Sdk.QuickBooks.Tests.Conformance;

/// <summary>
/// Checks every exchange the connector's HTTP clients make in a test's provider against <see cref="QuickBooksXsdSpec"/>
/// (requests always; answers only when they come from the simulator, not from a WireMock stub), and fails the test
/// when the provider is disposed if any violated the spec, listing the violations in the spec's words.
/// </summary>
internal sealed class ConformanceGuard : IDisposable, IAsyncDisposable
{
    private readonly bool _checkResponses;

    private ConformanceGuard(bool checkResponses) => _checkResponses = checkResponses;

    public ConcurrentQueue<ConformanceExchange> Exchanges { get; } = new();

    public ConcurrentQueue<ConformanceViolation> Violations { get; } = new();

    /// <summary>Adds the guard; call after the connectors are added, so its handler is the innermost (it sees every attempt).</summary>
    public static void Add(IServiceCollection services, bool checkResponses)
    {
        // Made by a factory (not added as an instance), so that the provider disposes it; resolved by the handler below.
        services.AddSingleton(_ => new ConformanceGuard(checkResponses));
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b =>
        {
            if (b.Name?.Contains("quickbooks", StringComparison.OrdinalIgnoreCase) == true)
            {
                b.AdditionalHandlers.Add(new Handler(b.Services.GetRequiredService<ConformanceGuard>()));
            }
        }));
    }

    public void Dispose()
    {
        if (!Violations.IsEmpty)
        {
            throw new InvalidOperationException("The QuickBooks connector or simulator broke Intuit's schema:" + Environment.NewLine
                + string.Join(Environment.NewLine, Violations));
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Record(ConformanceExchange exchange)
    {
        Exchanges.Enqueue(exchange);
        foreach (var violation in QuickBooksXsdSpec.Default.CheckRequest(exchange)
            .Concat(_checkResponses && exchange.Status is not null ? QuickBooksXsdSpec.Default.CheckResponse(exchange) : []))
        {
            Violations.Enqueue(violation);
        }
    }

    private sealed class Handler(ConformanceGuard guard) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            RecordingHandler.SendAndRecordAsync(request, r => base.SendAsync(r, cancellationToken), guard.Record, cancellationToken);
    }
}
