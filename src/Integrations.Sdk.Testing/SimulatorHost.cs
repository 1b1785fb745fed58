using Integrations.Sdk.Testing.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Testing;

/// <summary>
/// The base of every platform simulator: a small web server on 127.0.0.1 with a random port, a fault injector, the
/// simulator's own clock and a lock for its state. Derive from it, map the platform's endpoints with
/// <see cref="Map"/>, serve each through <see cref="WithFaultsAsync(HttpContext, string, Func{IResult})"/>, and keep
/// the platform's state; <see cref="SimulatorPersistence"/> saves it and <see cref="SignedWebhook.Create"/> signs its
/// webhooks. Every request it receives and every answer it gives is checked against the platform's published spec
/// (<see cref="Conformance"/>): in <see cref="ConformanceMode.Enforce"/>, disposing the simulator throws a
/// <see cref="ConformanceException"/> when any broke it.
/// </summary>
public abstract class SimulatorHost : IAsyncDisposable
{
    private WebApplication? _app;
    private const string CallbackClientName = "integrations-simulator-callbacks";
    private Uri? _registered;

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

    /// <summary>The platform the simulator plays, as the conformance checker names it (for example <c>stripe</c>).</summary>
    public abstract string Platform { get; }

    /// <summary>
    /// What the simulator does with the conformance of its exchanges. <value>Default: <see cref="ConformanceMode.Enforce"/>:
    /// disposing the simulator fails if any request or answer broke the platform's spec.</value> A test that sends a bad
    /// request on purpose sets <see cref="ConformanceMode.Record"/> and asserts on <see cref="ConformanceViolations"/>.
    /// </summary>
    public ConformanceMode Conformance
    {
        get => ConformanceRecorder.Mode;
        set => ConformanceRecorder.Mode = value;
    }

    /// <summary>Every violation of the platform's spec the simulator has seen, requests and answers, in the order seen.</summary>
    public IReadOnlyList<ConformanceViolation> ConformanceViolations => ConformanceRecorder.Violations;

    /// <summary>The simulator's recorder: its counts, and its checker (<see cref="ConformanceChecker.Default"/> unless one is set).</summary>
    public ConformanceRecorder ConformanceRecorder { get; } = new();

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
        builder.Services.AddHttpClient(CallbackClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        var app = builder.Build();
        app.Use(CheckConformanceAsync);
        MapEndpoints(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        _registered = BaseAddress;
        ConformanceRecording.AddSimulator(_registered);
    }

    /// <summary>
    /// A client for the simulator's own calls out (webhook deliveries, checks of a callback URL), from the simulator
    /// host's <see cref="IHttpClientFactory"/>, with a 30-second timeout the caller may shorten before its first request.
    /// </summary>
    /// <exception cref="InvalidOperationException">The simulator is not started.</exception>
    protected HttpClient CreateCallbackClient() =>
        (_app ?? throw new InvalidOperationException("Start the simulator (StartAsync) before it calls out."))
            .Services.GetRequiredService<IHttpClientFactory>().CreateClient(CallbackClientName);

    /// <summary>Stops the simulator; then, in <see cref="ConformanceMode.Enforce"/>, fails if any exchange broke the platform's spec.</summary>
    /// <exception cref="ConformanceException">Requests or answers broke the platform's spec (listed in the message).</exception>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        if (_registered is not null)
        {
            ConformanceRecording.RemoveSimulator(_registered);
            _registered = null;
        }

        GC.SuppressFinalize(this);
        await ConformanceRecorder.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the request and the answer against the platform's spec: buffers the request body, captures the answer,
    /// then hands both to <see cref="ConformanceRecorder"/>. Copies nothing when the mode is
    /// <see cref="ConformanceMode.Off"/> or the checker does not cover <see cref="Platform"/>. Answers made or dropped
    /// by <see cref="Faults"/> are not checked.
    /// </summary>
    private async Task CheckConformanceAsync(HttpContext context, RequestDelegate next)
    {
        var recorder = ConformanceRecorder;
        if (!recorder.IsChecking(Platform))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        request.EnableBuffering();
        using var requestBody = new MemoryStream();
        await request.Body.CopyToAsync(requestBody, context.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        // The path as sent (still escaped), as the client-side check sees it.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var path = string.IsNullOrEmpty(target) || target[0] != '/' ? (request.PathBase + request.Path).ToString() : target.Split('?', 2)[0];
        var exchange = new ConformanceExchange(
            Platform,
            request.Method,
            path,
            request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            headers,
            request.ContentType,
            requestBody.ToArray(),
            Status: null,
            ResponseContentType: null,
            ResponseBody: ReadOnlyMemory<byte>.Empty,
            Injected: false);
        recorder.Check(exchange, ConformanceSide.Request);

        var response = context.Response;
        var original = response.Body;
        using var answer = new MemoryStream();
        response.Body = answer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            response.Body = original;
        }

        var injected = context.Items.ContainsKey(FaultInjector.InjectedAnswer);
        if (context.RequestAborted.IsCancellationRequested)
        {
            // Dropped: there is no answer to write or check.
            return;
        }

        // Checked before it is written, so that a client holding the answer also sees its check recorded.
        recorder.Check(
            exchange with { Status = response.StatusCode, ResponseContentType = response.ContentType, ResponseBody = answer.ToArray(), Injected = injected },
            ConformanceSide.Response);
        answer.Position = 0;
        await answer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
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
