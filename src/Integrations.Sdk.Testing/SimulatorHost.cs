using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Testing;

/// <summary>
/// The base of every platform simulator: a small web server on 127.0.0.1 with a random port, a fault injector, and
/// the simulator's own clock. Derive from it, map the platform's endpoints, and keep the platform's state.
/// </summary>
public abstract class SimulatorHost : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Creates the simulator (not started).</summary>
    /// <param name="timeProvider">The platform's clock (token expiry, timestamps); the system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    protected SimulatorHost(TimeProvider? timeProvider = null, int seed = 0)
    {
        Time = timeProvider ?? TimeProvider.System;
        Faults = new FaultInjector(seed);
    }

    /// <summary>The simulator's address, once started, for example <c>http://127.0.0.1:53211/</c>.</summary>
    public Uri BaseAddress => _app is null ? throw new InvalidOperationException("Start the simulator first (StartAsync).") : new Uri(_app.Urls.First().TrimEnd('/') + "/");

    /// <summary>Injects failures into the simulator's endpoints.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The platform's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Starts listening on 127.0.0.1 with a random port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        MapEndpoints(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
    }

    /// <summary>Maps the platform's endpoints.</summary>
    /// <param name="endpoints">Where to map them.</param>
    protected abstract void MapEndpoints(IEndpointRouteBuilder endpoints);

    /// <summary>Stops the simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        GC.SuppressFinalize(this);
    }
}
