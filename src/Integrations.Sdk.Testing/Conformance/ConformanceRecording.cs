using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>How <see cref="ConformanceRecording.AddConformanceRecording"/> checks the requests the connectors send.</summary>
public sealed class ConformanceRecordingOptions
{
    /// <summary>What the provider's <see cref="ConformanceRecorder"/> does with the exchanges. <value>Default: <see cref="ConformanceMode.Enforce"/>.</value></summary>
    public ConformanceMode Mode { get; set; } = ConformanceMode.Enforce;

    /// <summary>The checker; <see cref="ConformanceChecker.Default"/> (the built-in specs) when <see langword="null"/>. <value>Default: <see langword="null"/>.</value></summary>
    public ConformanceChecker? Checker { get; set; }

    /// <summary>
    /// Whether the answers of a server that is not a simulator (a WireMock stub, a sandbox) are checked too.
    /// <value>Default: <see langword="false"/>: a stub's answer is the test's fixture, often cut to the fields under test or
    /// malformed on purpose; the simulators' answers are always checked, by the simulators.</value>
    /// </summary>
    public bool CheckResponses { get; set; }

    /// <summary>The platform of a connector whose name is not the platform's (connector name to platform name); a connector not listed is its own platform.</summary>
    public IDictionary<string, string> Platforms { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Registers the client-side conformance check of the connectors' requests.</summary>
public static class ConformanceRecording
{
    private static readonly ConcurrentDictionary<string, byte> Simulators = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Checks every request a connector sends (every attempt, with its final headers, after auth) against its
    /// platform's spec, with a <see cref="ConformanceRecorder"/> registered as a singleton: in
    /// <see cref="ConformanceMode.Enforce"/> disposing the provider throws a <see cref="ConformanceException"/> when any
    /// request broke the spec, so <c>await using var provider = ...</c> fails the test. Covers the HTTP clients named
    /// <c>Integrations.{connector}.{Client}</c> (every connector client) whose platform the checker covers. Requests to a
    /// running simulator are left to the simulator, which checks them and its answers itself. Calling it again adds
    /// <paramref name="configure"/> to the earlier settings (<see cref="IntegrationsTestHost.Build"/> calls it first).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the mode, the checker, whether stub answers are checked.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddConformanceRecording(this IServiceCollection services, Action<ConformanceRecordingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ConformanceRecordingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ConformanceRecordingOptions>>().Value;
            return new ConformanceRecorder(settings.Mode, settings.Checker);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ConformanceHandlerFilter>());
        return services;
    }

    /// <summary>Notes a running simulator's address, whose exchanges the simulator checks itself.</summary>
    internal static void AddSimulator(Uri address) => Simulators.TryAdd(address.Authority, 0);

    /// <summary>Forgets a stopped simulator's address.</summary>
    internal static void RemoveSimulator(Uri address) => Simulators.TryRemove(address.Authority, out _);

    /// <summary>Whether <paramref name="address"/> is a running simulator's.</summary>
    internal static bool IsSimulator(Uri address) => address.IsAbsoluteUri && Simulators.ContainsKey(address.Authority);

    /// <summary>The connector of an HTTP client named <c>Integrations.{connector}.{Client}</c>, or <see langword="null"/>.</summary>
    internal static string? ConnectorOf(string? clientName)
    {
        const string Prefix = "Integrations.";
        if (clientName is null || !clientName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var last = clientName.LastIndexOf('.');
        return last <= Prefix.Length ? null : clientName[Prefix.Length..last];
    }

    /// <summary>Adds the checking handler innermost (after auth) to every connector client.</summary>
    private sealed class ConformanceHandlerFilter(ConformanceRecorder recorder, IOptions<ConformanceRecordingOptions> options) : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            if (ConnectorOf(builder.Name) is { } connector)
            {
                var settings = options.Value;
                var platform = settings.Platforms.TryGetValue(connector, out var mapped) ? mapped : connector;
                builder.AdditionalHandlers.Add(new ConformanceHandler(recorder, platform, settings.CheckResponses));
            }
        };
    }

    /// <summary>Checks each attempt's request, and its answer when asked to, unless it goes to a simulator.</summary>
    private sealed class ConformanceHandler(ConformanceRecorder recorder, string platform, bool checkResponses) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri;
            if (uri is null || !uri.IsAbsoluteUri || IsSimulator(uri) || !recorder.IsChecking(platform))
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var body = ReadOnlyMemory<byte>.Empty;
            if (request.Content is { } content)
            {
                // Buffered, the content is sent from the same bytes.
                await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in request.Headers)
            {
                headers[name] = string.Join(", ", values);
            }

            if (request.Content is not null)
            {
                foreach (var (name, values) in request.Content.Headers)
                {
                    headers[name] = string.Join(", ", values);
                }
            }

            var exchange = new ConformanceExchange(
                platform,
                request.Method.Method,
                uri.AbsolutePath,
                uri.Query.StartsWith('?') ? uri.Query[1..] : uri.Query,
                headers,
                request.Content?.Headers.ContentType?.ToString(),
                body,
                Status: null,
                ResponseContentType: null,
                ResponseBody: ReadOnlyMemory<byte>.Empty,
                Injected: false);
            recorder.Check(exchange, ConformanceSide.Request);

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (checkResponses)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                recorder.Check(
                    exchange with { Status = (int)response.StatusCode, ResponseContentType = response.Content.Headers.ContentType?.ToString(), ResponseBody = answer },
                    ConformanceSide.Response);
            }

            return response;
        }
    }
}
