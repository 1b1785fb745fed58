using Integrations.Sdk.Transport.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a connector's typed Refit client with the SDK's transport pipeline. Used by connector packages.</summary>
public static class ConnectorClientExtensions
{
    private static readonly ResiliencePropertyKey<DateTimeOffset> AttemptSentAt = new("Integrations.Sdk.AttemptSentAt");

    /// <summary>
    /// Registers <typeparamref name="TClient"/> (a Refit interface, built by Refit's source generator) through
    /// IHttpClientFactory, behind the SDK's pipeline, outermost first: error translation → total timeout → retry
    /// (backoff with jitter, honouring <c>Retry-After</c>, replaying only what is safe) → circuit breaker →
    /// rate-limit budget per connector and account → attempt timeout → tracing, platform signals and error mapping
    /// → auth.
    /// </summary>
    /// <typeparam name="TClient">The Refit interface.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="connector">The connector's name, for example <c>hubspot</c>. Names its options, budgets and telemetry.</param>
    /// <param name="configure">Fills the connector's HTTP options (it may read the connector's own options from the provider).</param>
    /// <param name="refitSettings">Refit settings (serializer); defaults to System.Text.Json with web defaults.</param>
    /// <returns>The HTTP client builder, for further handlers.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="TClient"/> is already registered for this connector.</exception>
    public static IHttpClientBuilder AddConnectorClient<TClient>(
        this IIntegrationsBuilder builder,
        string connector,
        Action<IServiceProvider, ConnectorHttpOptions> configure,
        Func<IServiceProvider, RefitSettings>? refitSettings = null)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        var clientName = ClientName<TClient>(connector);
        ThrowIfRegistered(services, connector, clientName, typeof(TClient));
        services.AddSingleton(new ConnectorClientRegistration(connector, clientName));
        services.AddSingleton(new ConnectorSerialization(connector, refitSettings));
        services.AddOptions<ConnectorHttpOptions>(connector).Configure<IServiceProvider>((options, sp) => configure(sp, options)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorHttpOptions>, ConnectorHttpOptionsValidator>());

        return AddPipeline<TClient>(services, connector, clientName, sp => refitSettings?.Invoke(sp) ?? new RefitSettings());
    }

    /// <summary>
    /// Adds your own Refit interface to a connector that is already registered (for example an endpoint of HubSpot the
    /// connector does not offer): it is sent through the same pipeline as the connector's own requests and shares the
    /// connector's named <see cref="ConnectorHttpOptions"/> (base address, auth, default headers, idempotency
    /// header, platform signals), its rate-limit budget per account, its outage judgement (an answer or a failure of
    /// your endpoint counts for the connector's health) and its circuit semantics (your client has its own breaker,
    /// tuned like the connector's; the health check names the connector when any of them is open). By default your
    /// interface reads and writes JSON with the connector's own conventions.
    /// </summary>
    /// <remarks>
    /// Your project needs its own <c>PackageReference</c> to <c>Refit</c>: Refit's source generator writes the client
    /// class, and analyzers do not flow from a package's dependencies. A request is replayed after an unknown outcome
    /// only when that is safe: <c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c>, <c>PUT</c> and <c>DELETE</c>, a request
    /// carrying the connector's idempotency header, or one marked with a parameter
    /// <c>[Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe = true</c>. The account (its budget and
    /// OAuth token) is chosen with <c>[Property(IntegrationsRequest.AccountKeyName)] string account</c>; without it,
    /// <see cref="IntegrationsRequest.DefaultAccount"/>. See docs/connectors/extending.md.
    /// </remarks>
    /// <typeparam name="TApi">Your Refit interface.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="connector">The connector's name, for example <c>hubspot</c> (<c>HubSpotConnector.ConnectorName</c>).</param>
    /// <param name="refitSettings">Refit settings; by default the connector's own (its JSON conventions).</param>
    /// <returns>The HTTP client builder, for further handlers.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="TApi"/> is already registered for this connector.</exception>
    /// <exception cref="OptionsValidationException">When the host starts: no connector named <paramref name="connector"/> is registered (the message lists those that are).</exception>
    public static IHttpClientBuilder AddConnectorEndpoints<TApi>(
        this IIntegrationsBuilder builder,
        string connector,
        Func<IServiceProvider, RefitSettings>? refitSettings = null)
        where TApi : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);

        var services = builder.Services;
        var clientName = ClientName<TApi>(connector);
        ThrowIfRegistered(services, connector, clientName, typeof(TApi));
        services.AddSingleton(new ConnectorClientRegistration(connector, clientName));
        services.AddSingleton(new ConnectorEndpointsRegistration(connector, clientName, typeof(TApi)));
        services.AddOptions<ConnectorEndpointsRegistration.Check>(clientName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorEndpointsRegistration.Check>, ConnectorEndpointsRegistration.Validator>());

        return AddPipeline<TApi>(services, connector, clientName, sp =>
        {
            var registered = sp.GetServices<ConnectorSerialization>().ToList();
            var own = registered.FirstOrDefault(r => r.Connector == connector)
                ?? throw new InvalidOperationException(ConnectorEndpointsRegistration.NotRegistered(connector, typeof(TApi), registered.Select(r => r.Connector)));
            return refitSettings?.Invoke(sp) ?? own.Create?.Invoke(sp) ?? new RefitSettings();
        });
    }

    private static string ClientName<TClient>(string connector) => $"Integrations.{connector}.{typeof(TClient).Name}";

    private static void ThrowIfRegistered(IServiceCollection services, string connector, string clientName, Type client)
    {
        if (services.Any(d => d.ImplementationInstance is ConnectorClientRegistration r && r.ClientName == clientName))
        {
            throw new InvalidOperationException($"The client {client.Name} of connector '{connector}' is registered twice.");
        }
    }

    private static IHttpClientBuilder AddPipeline<TClient>(IServiceCollection services, string connector, string clientName, Func<IServiceProvider, RefitSettings> refitSettings)
        where TClient : class
    {
        var http = services
            .AddRefitGeneratedClient<TClient>(sp => WithPlatformExceptions(refitSettings(sp), connector, sp.GetRequiredService<SecretRedactor>()), clientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>().Get(connector);
                client.BaseAddress = options.BaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan; // Polly owns timeouts.
                foreach (var (name, value) in options.DefaultHeaders)
                {
                    client.DefaultRequestHeaders.Remove(name);
                    client.DefaultRequestHeaders.Add(name, value);
                }
            })
            .RemoveAllLoggers() // The factory's loggers print header values (tokens, keys); the SDK logs each attempt itself.
            .AddHttpMessageHandler(sp => new PlatformExceptionHandler(connector, sp.GetRequiredService<TimeProvider>()));

        http.AddResilienceHandler("integrations", (pipeline, context) =>
            ConfigurePipeline(pipeline, context.ServiceProvider, connector, clientName));

        http.AddHttpMessageHandler(sp => new PlatformResponseHandler(
            connector,
            sp.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>(),
            sp.GetRequiredService<RateLimitBudgets>(),
            sp.GetRequiredService<SecretRedactor>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Integrations.Sdk.Transport")));

        http.AddHttpMessageHandler(sp =>
        {
            var auth = sp.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>().Get(connector).Auth;
            if (auth is null)
            {
                return new PassThroughHandler();
            }

            auth.RegisterSecrets(sp.GetRequiredService<SecretRedactor>());
            return auth.CreateHandler(sp, connector);
        });

        return http;
    }

    /// <summary>
    /// Lets <see cref="PlatformException"/> reach the caller as is, instead of wrapped by Refit, and turns a response
    /// body that cannot be read into one too (the request succeeded, so its effect is unknown to the caller).
    /// </summary>
    private static RefitSettings WithPlatformExceptions(RefitSettings settings, string connector, SecretRedactor redactor)
    {
        settings.DeserializationExceptionFactory = (response, exception) => ValueTask.FromResult<Exception?>(new PlatformException(
            connector,
            response.StatusCode,
            "invalid_response",
            $"the response body could not be read: {redactor.Redact(exception.Message)}",
            isRetryable: false,
            mayHaveBeenApplied: true,
            innerException: exception));

        var fallback = settings.TransportExceptionFactory;
        settings.TransportExceptionFactory = (request, exception, cancellationToken) => exception switch
        {
            PlatformException => exception,
            OperationCanceledException when cancellationToken.IsCancellationRequested => exception,
            _ when fallback is not null => fallback(request, exception, cancellationToken),
            _ => new ApiRequestException(request, request.Method, settings, exception),
        };
        return settings;
    }

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider sp, string connector, string clientName)
    {
        var options = sp.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>().Get(connector);
        var budgets = sp.GetRequiredService<RateLimitBudgets>();
        var metrics = sp.GetRequiredService<IntegrationsMetrics>();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Integrations.Sdk.Transport");
        var redactor = sp.GetRequiredService<SecretRedactor>();
        var circuit = new CircuitBreakerStateProvider();
        var circuits = sp.GetRequiredService<ConnectorCircuits>();
        var time = sp.GetRequiredService<TimeProvider>();
        circuits.Track(clientName, circuit);
        var answers = circuits.AnswersOf(connector);

        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(RetryRules.ShouldRetry(args.Outcome.Exception, args.Context.GetRequestMessage(), options)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is PlatformException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    metrics.Retry(connector);
                    var request = args.Context.GetRequestMessage();
                    var reason = args.Outcome.Exception is PlatformException pe
                        ? (pe.StatusCode is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : pe.ErrorCode ?? "error")
                        : args.Outcome.Exception?.GetType().Name ?? "error";
                    Log.Retrying(logger, connector, request?.Method.Method ?? "?", redactor.Redact(request?.RequestUri?.AbsolutePath ?? "?"), args.AttemptNumber + 1, args.RetryDelay, reason);
                    return default;
                },
            });
        }

        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            StateProvider = circuit,
            ShouldHandle = args =>
            {
                // Every outcome passes here, so this is also where the last sign of life of the platform is noted: a
                // record that ran out of step retries on 5xx or timeouts while nothing else got an answer either met an
                // outage before the breaker tripped, not a fault of its own.
                // The answer is dated by when its request was sent, so that a request already under way when an outage
                // began, and answered just after, does not pass for a sign of life during it.
                var failure = RetryRules.CountsAsPlatformFailure(args.Outcome.Exception);
                if (args.Context.Properties.TryGetValue(AttemptSentAt, out var sent))
                {
                    if (failure)
                    {
                        answers.MarkFailure(sent);
                    }
                    else if (RetryRules.IsPlatformAnswer(args.Outcome.Exception))
                    {
                        answers.Mark(sent);
                    }
                }

                return ValueTask.FromResult(failure);
            },
            OnOpened = args =>
            {
                var until = time.GetUtcNow() + args.BreakDuration;
                circuits.Opened(clientName, until);
                Log.CircuitOpened(logger, connector, args.BreakDuration, until);
                return default;
            },
            OnClosed = _ =>
            {
                circuits.Closed(clientName);
                Log.CircuitClosed(logger, connector);
                return default;
            },
        });

        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = async args =>
            {
                var lease = await budgets.AcquireAsync(
                    connector,
                    args.Context.GetRequestMessage()?.GetAccount() ?? IntegrationsRequest.DefaultAccount,
                    args.Context.CancellationToken).ConfigureAwait(false);

                // The last stage before the request leaves: each attempt notes when it was sent (see ShouldHandle above).
                args.Context.Properties.Set(AttemptSentAt, time.GetUtcNow());
                return lease;
            },
        });

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
