using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing;

/// <summary>The failures a simulator can inject, as real platforms produce them.</summary>
public enum FaultKind
{
    /// <summary>The request is served, late (<see cref="FaultInjector.Latency"/>).</summary>
    Latency = 0,

    /// <summary>A 5xx answer; nothing is applied.</summary>
    ServerError = 1,

    /// <summary>A 429 with <c>Retry-After</c> (<see cref="FaultInjector.RetryAfter"/>); nothing is applied.</summary>
    TooManyRequests = 2,

    /// <summary>No answer: the simulator holds the request (<see cref="FaultInjector.Hang"/>) then drops it; nothing is applied.</summary>
    Timeout = 3,

    /// <summary>The connection is reset before anything is applied.</summary>
    ConnectionReset = 4,

    /// <summary>The write is applied, then the connection is dropped: the client cannot know it happened.</summary>
    CommitThenDrop = 5,
}

/// <summary>
/// Decides, per endpoint, which requests fail and how: scripted faults (the next N calls) and random faults (a
/// rate across chosen kinds, from a seed, so runs repeat). Thread-safe. Latency and hangs are measured on the
/// injector's <see cref="Time"/> (a simulator's own clock), so a test on a fake clock advances it to end them.
/// </summary>
public sealed class FaultInjector
{
    private static readonly FaultKind[] AllKinds = Enum.GetValues<FaultKind>();

    /// <summary>The <see cref="HttpContext.Items"/> key marking an answer made (or dropped) by a fault, not by the platform's model: conformance checks skip it.</summary>
    internal static readonly object InjectedAnswer = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FaultKind>> _scripted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private readonly Lock _gate = new();
    private Random _random;
    private double _rate;
    private FaultKind[] _kinds = AllKinds;

    /// <summary>Creates an injector with no faults.</summary>
    /// <param name="seed">Seeds the random faults.</param>
    /// <param name="timeProvider">The clock <see cref="Latency"/> and <see cref="Hang"/> are measured on (a simulator's clock). <value>Default: the system clock.</value></param>
    public FaultInjector(int seed = 0, TimeProvider? timeProvider = null)
    {
        _random = new Random(seed);
        Time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock <see cref="Latency"/> and <see cref="Hang"/> are measured on.</summary>
    public TimeProvider Time { get; }

    /// <summary>How late a <see cref="FaultKind.Latency"/> answer is, on <see cref="Time"/>. <value>Default: 200 ms.</value></summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The <c>Retry-After</c> of a <see cref="FaultKind.TooManyRequests"/> answer. <value>Default: 1 second.</value></summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a <see cref="FaultKind.Timeout"/> holds the request before dropping it, on <see cref="Time"/>, unless the client gives up first. <value>Default: 5 seconds.</value></summary>
    public TimeSpan Hang { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many faults were injected, by kind.</summary>
    public IReadOnlyDictionary<FaultKind, int> Injected => new Dictionary<FaultKind, int>(_injected);

    /// <summary>How many faults were injected in all.</summary>
    public int InjectedTotal => _injected.Values.Sum();

    /// <summary>Makes the next <paramref name="count"/> calls to <paramref name="endpoint"/> fail with <paramref name="kind"/>.</summary>
    /// <param name="endpoint">The endpoint's name, as the simulator documents it (for example <c>invoice.create</c>).</param>
    /// <param name="kind">The fault.</param>
    /// <param name="count">How many calls.</param>
    public void Add(string endpoint, FaultKind kind, int count = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var queue = _scripted.GetOrAdd(endpoint, _ => new ConcurrentQueue<FaultKind>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(kind);
        }
    }

    /// <summary>Fails each call with probability <paramref name="rate"/>, with a kind drawn from <paramref name="kinds"/> (all by default).</summary>
    /// <param name="rate">From 0 (never) to 1 (always).</param>
    /// <param name="seed">Seeds the draw, so a run can be repeated.</param>
    /// <param name="kinds">The kinds to draw from.</param>
    public void SetRandom(double rate, int seed, params FaultKind[] kinds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        lock (_gate)
        {
            _rate = rate;
            _random = new Random(seed);
            _kinds = kinds is { Length: > 0 } ? kinds : AllKinds;
        }
    }

    /// <summary>Stops every fault, scripted and random.</summary>
    public void Clear()
    {
        _scripted.Clear();
        lock (_gate)
        {
            _rate = 0;
        }
    }

    /// <summary>Returns the fault for the next call to an endpoint, if any.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    public FaultKind? Next(string endpoint)
    {
        FaultKind? fault = null;
        if (_scripted.TryGetValue(endpoint, out var queue) && queue.TryDequeue(out var scripted))
        {
            fault = scripted;
        }
        else
        {
            lock (_gate)
            {
                if (_rate > 0 && _random.NextDouble() < _rate)
                {
                    fault = _kinds[_random.Next(_kinds.Length)];
                }
            }
        }

        if (fault is { } kind)
        {
            _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        return fault;
    }

    /// <summary>
    /// Serves a request through the fault injector: <paramref name="apply"/> performs the platform's work and
    /// produces the answer; a fault may delay it, replace it (5xx, 429), hold it, or drop the connection before or
    /// after it is applied.
    /// </summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="apply">Applies the request and returns the answer.</param>
    /// <param name="error">Shapes an error answer (status, platform body); defaults to an empty body with the status.</param>
    public async Task<IResult> RunAsync(HttpContext context, string endpoint, Func<Task<IResult>> apply, Func<int, IResult>? error = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(apply);
        error ??= Results.StatusCode;
        var fault = Next(endpoint);
        if (fault is not null and not FaultKind.Latency)
        {
            context.Items[InjectedAnswer] = fault;
        }

        switch (fault)
        {
            case FaultKind.Latency:
                await Task.Delay(Latency, Time, context.RequestAborted).ConfigureAwait(false);
                return await apply().ConfigureAwait(false);
            case FaultKind.ServerError:
                return error(StatusCodes.Status503ServiceUnavailable);
            case FaultKind.TooManyRequests:
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return error(StatusCodes.Status429TooManyRequests);
            case FaultKind.Timeout:
                try
                {
                    await Task.Delay(Hang, Time, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up first, as a client with an attempt timeout does.
                }

                context.Abort();
                return Results.Empty;
            case FaultKind.ConnectionReset:
                context.Abort();
                return Results.Empty;
            case FaultKind.CommitThenDrop:
                await apply().ConfigureAwait(false);
                context.Abort();
                return Results.Empty;
            default:
                return await apply().ConfigureAwait(false);
        }
    }
}
