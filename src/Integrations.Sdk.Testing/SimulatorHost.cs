using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Testing;

/// <summary>
/// The base of every platform simulator: a small web server on 127.0.0.1 with a random port, a fault injector, the
/// simulator's own clock and a lock for its state. Derive from it, map the platform's endpoints with
/// <see cref="Map"/>, serve each through <see cref="WithFaultsAsync(HttpContext, string, Func{IResult})"/>, and keep
/// the platform's state; <see cref="SimulatorPersistence"/> saves it and <see cref="SignedWebhook.Create"/> signs its
/// webhooks.
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
        Faults = new FaultInjector(seed, Time);
    }

    /// <summary>The simulator's address, once started, for example <c>http://127.0.0.1:53211/</c>.</summary>
    public Uri BaseAddress => _app is null ? throw new InvalidOperationException("Start the simulator first (StartAsync).") : new Uri(_app.Urls.First().TrimEnd('/') + "/");

    /// <summary>Injects failures into the simulator's endpoints; its latency and hangs run on <see cref="Time"/>.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The platform's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Guards the platform's state: requests arrive on several threads.</summary>
    protected Lock Gate { get; } = new();

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

    /// <summary>Maps the platform's endpoints.</summary>
    /// <param name="endpoints">Where to map them.</param>
    protected abstract void MapEndpoints(IEndpointRouteBuilder endpoints);

    /// <summary>
    /// Maps one route to a handler whose <see cref="IResult"/> is written. (A lambda or method group taking only an
    /// <see cref="HttpContext"/> would otherwise bind as a <see cref="RequestDelegate"/>, and its answer be dropped.)
    /// </summary>
    /// <param name="endpoints">Where to map it.</param>
    /// <param name="method">The HTTP method, for example <c>POST</c>.</param>
    /// <param name="pattern">The route pattern, for example <c>/v1/customers/{id}</c>.</param>
    /// <param name="handler">Serves the request.</param>
    /// <returns>The route's builder.</returns>
    protected static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints, string method, string pattern, Func<HttpContext, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapMethods(pattern, [method], handler);
    }

    /// <summary>
    /// Serves a request through <see cref="Faults"/> under <paramref name="endpoint"/>: a fault may delay the answer,
    /// replace it with <see cref="FaultAnswer"/>, hold it, or drop the connection before or after
    /// <paramref name="apply"/> runs.
    /// </summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="endpoint">The endpoint's fault name.</param>
    /// <param name="apply">Applies the request and returns the platform's answer.</param>
    /// <returns>The answer to write.</returns>
    protected Task<IResult> WithFaultsAsync(HttpContext context, string endpoint, Func<Task<IResult>> apply) =>
        Faults.RunAsync(context, endpoint, apply, status => FaultAnswer(context, status));

    /// <summary>Serves a request through <see cref="Faults"/>, with a synchronous <paramref name="apply"/>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="endpoint">The endpoint's fault name.</param>
    /// <param name="apply">Applies the request and returns the platform's answer.</param>
    /// <returns>The answer to write.</returns>
    protected Task<IResult> WithFaultsAsync(HttpContext context, string endpoint, Func<IResult> apply) =>
        WithFaultsAsync(context, endpoint, () => Task.FromResult(apply()));

    /// <summary>The platform's answer to an injected 5xx or 429 (its error body). By default an empty body with the status.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="status">503 or 429.</param>
    /// <returns>The answer.</returns>
    protected virtual IResult FaultAnswer(HttpContext context, int status) => Results.StatusCode(status);

    /// <summary>A JSON answer, written as is (UTF-8, <c>application/json</c>).</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The body.</param>
    /// <returns>The answer.</returns>
    protected static IResult Json(int status, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);
    }

    /// <summary>Reads the request body as JSON; a body that is not JSON gives the parser's message instead.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>The body (<see langword="null"/> for <c>null</c>), or why it could not be read.</returns>
    protected static async Task<(JsonNode? Body, string? Invalid)> ReadJsonAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false), null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Runs <paramref name="read"/> under <see cref="Gate"/>, for a consistent view of the state.</summary>
    /// <typeparam name="T">What is read.</typeparam>
    /// <param name="read">Reads the state.</param>
    /// <returns>What was read.</returns>
    protected T Locked<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (Gate)
        {
            return read();
        }
    }
}
