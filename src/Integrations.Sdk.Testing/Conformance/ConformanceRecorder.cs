using System.Collections.Concurrent;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>How many exchanges were checked and how many violations they gave.</summary>
/// <param name="Requests">Requests checked.</param>
/// <param name="Responses">Responses checked (answers injected by fault injection and missing answers are not).</param>
/// <param name="Violations">Violations found.</param>
public readonly record struct ConformanceCounts(long Requests, long Responses, long Violations);

/// <summary>
/// Checks exchanges with a <see cref="ConformanceChecker"/>, counts them per platform and keeps the violations; in
/// <see cref="ConformanceMode.Enforce"/> disposing it throws a <see cref="ConformanceException"/> when any exchange broke
/// a spec, so the test that made the exchange fails. Thread-safe. Every simulator has one
/// (<see cref="SimulatorHost.ConformanceRecorder"/>); <see cref="ConformanceRecording.AddConformanceRecording"/> registers one
/// per service provider for the connectors' own requests. Every recorder also adds to the process-wide totals
/// (<see cref="ProcessCounts"/>, <see cref="ProcessSummary"/>), written to the directory named by
/// <c>INTEGRATIONS_SDK_CONFORMANCE_DIR</c> when set.
/// </summary>
public sealed class ConformanceRecorder : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ConformanceViolation> _violations = [];
    private readonly Dictionary<string, Counter> _byPlatform = new(StringComparer.Ordinal);
    private ConformanceChecker? _checker;
    private volatile ConformanceMode _mode;
    private int _reported;

    /// <summary>Creates a recorder.</summary>
    /// <param name="mode">What to do with the exchanges. <value>Default: <see cref="ConformanceMode.Enforce"/>.</value></param>
    /// <param name="checker">The checker; <see cref="ConformanceChecker.Default"/> (the built-in specs, loaded on first use) when <see langword="null"/>.</param>
    public ConformanceRecorder(ConformanceMode mode = ConformanceMode.Enforce, ConformanceChecker? checker = null)
    {
        _mode = mode;
        _checker = checker;
    }

    /// <summary>What the recorder does with the exchanges; may change at any time (for example to <see cref="ConformanceMode.Record"/> before a test's deliberate bad request).</summary>
    public ConformanceMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    /// <summary>The checker; <see cref="ConformanceChecker.Default"/> unless one was given.</summary>
    public ConformanceChecker Checker
    {
        get => _checker ??= ConformanceChecker.Default;
        set => _checker = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether this recorder adds to the process-wide totals (the <c>conformance:</c> summary line). <value>Default: <see langword="true"/>.</value>
    /// A test of the recording itself, with a made-up spec, turns it off so its platform and violations stay out of the run's line.
    /// </summary>
    public bool CountsTowardProcessTotals { get; set; } = true;

    /// <summary>Every violation seen, in the order seen (a copy).</summary>
    public IReadOnlyList<ConformanceViolation> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>What this recorder checked, all platforms together.</summary>
    public ConformanceCounts Counts
    {
        get
        {
            lock (_gate)
            {
                return Sum(_byPlatform.Values);
            }
        }
    }

    /// <summary>What this recorder checked, per platform.</summary>
    public IReadOnlyDictionary<string, ConformanceCounts> CountsByPlatform
    {
        get
        {
            lock (_gate)
            {
                return _byPlatform.ToDictionary(p => p.Key, p => p.Value.ToCounts(), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>What every recorder of this process checked, all platforms together. Violations seen in <see cref="ConformanceMode.Record"/> are not counted here: the test that recorded them asserts on them.</summary>
    public static ConformanceCounts ProcessCounts => ProcessTotals.Counts;

    /// <summary>What every recorder of this process checked, per platform (violations as in <see cref="ProcessCounts"/>).</summary>
    public static IReadOnlyDictionary<string, ConformanceCounts> ProcessCountsByPlatform => ProcessTotals.ByPlatform;

    /// <summary>The process-wide totals as one line: <c>conformance: requests=N responses=N violations=N platforms=a,b</c> (platforms sorted).</summary>
    /// <returns>The line.</returns>
    public static string ProcessSummary() => ProcessTotals.Summary();

    /// <summary>Whether an exchange with <paramref name="platform"/> would be checked: the mode is not <see cref="ConformanceMode.Off"/> and the checker covers the platform.</summary>
    /// <param name="platform">The platform, for example <c>stripe</c>.</param>
    /// <returns><see langword="true"/> when it would be checked.</returns>
    public bool IsChecking(string platform) => _mode != ConformanceMode.Off && Checker.Covers(platform);

    /// <summary>
    /// Checks one side of an exchange, counts it and keeps its violations. A response is not checked (nor counted) when
    /// it was injected by fault injection or when there was no answer (<see cref="ConformanceExchange.Status"/> is
    /// <see langword="null"/>); nothing is checked in <see cref="ConformanceMode.Off"/> or for a platform the checker
    /// does not cover. A checker that throws gives a violation (keyword <c>exception</c>) instead: the exchange goes on.
    /// </summary>
    /// <param name="exchange">The exchange.</param>
    /// <param name="side">Which side to check.</param>
    /// <returns>The violations found (empty when none).</returns>
    public IReadOnlyList<ConformanceViolation> Check(ConformanceExchange exchange, ConformanceSide side)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var mode = _mode;
        if (mode == ConformanceMode.Off || (side == ConformanceSide.Response && (exchange.Injected || exchange.Status is null)))
        {
            return [];
        }

        var checker = Checker;
        if (!checker.Covers(exchange.Platform))
        {
            return [];
        }

        IReadOnlyList<ConformanceViolation> violations;
        try
        {
            violations = checker.Check(exchange, side);
        }
#pragma warning disable CA1031 // A checker that fails is reported as a violation: it must not break the exchange it checks (a simulator would answer 500).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            violations = [new ConformanceViolation(exchange.Platform, side, $"{exchange.Method} {exchange.Path}", "checker", "", "exception",
                $"the checker failed on this exchange: {ex.GetType().Name}: {ex.Message}")];
        }
        lock (_gate)
        {
            if (!_byPlatform.TryGetValue(exchange.Platform, out var counter))
            {
                counter = new Counter();
                _byPlatform.Add(exchange.Platform, counter);
            }

            counter.Add(side, violations.Count);
            _violations.AddRange(violations);
        }

        if (CountsTowardProcessTotals)
        {
            ProcessTotals.Add(exchange.Platform, side, mode == ConformanceMode.Enforce ? violations : []);
        }

        return violations;
    }

    /// <summary>Throws a <see cref="ConformanceException"/> listing every violation not yet reported, when in <see cref="ConformanceMode.Enforce"/> and any was seen.</summary>
    /// <exception cref="ConformanceException">Violations were seen.</exception>
    public void ThrowIfViolated()
    {
        if (_mode != ConformanceMode.Enforce)
        {
            return;
        }

        ConformanceViolation[] unreported;
        lock (_gate)
        {
            unreported = [.. _violations.Skip(_reported)];
            _reported = _violations.Count;
        }

        if (unreported.Length > 0)
        {
            throw new ConformanceException(unreported);
        }
    }

    /// <summary>Writes the process-wide totals (when <c>INTEGRATIONS_SDK_CONFORMANCE_DIR</c> is set), then <see cref="ThrowIfViolated"/>.</summary>
    /// <exception cref="ConformanceException">In <see cref="ConformanceMode.Enforce"/>, violations were seen.</exception>
    public void Dispose()
    {
        ProcessTotals.WriteFile();
        ThrowIfViolated();
    }

    /// <summary>As <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    /// <exception cref="ConformanceException">In <see cref="ConformanceMode.Enforce"/>, violations were seen.</exception>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static ConformanceCounts Sum(IEnumerable<Counter> counters)
    {
        long requests = 0, responses = 0, violations = 0;
        foreach (var c in counters)
        {
            requests += c.Requests;
            responses += c.Responses;
            violations += c.Violations;
        }

        return new ConformanceCounts(requests, responses, violations);
    }

    private sealed class Counter
    {
        public long Requests;
        public long Responses;
        public long Violations;

        public void Add(ConformanceSide side, int violations)
        {
            if (side == ConformanceSide.Request)
            {
                Requests++;
            }
            else
            {
                Responses++;
            }

            Violations += violations;
        }

        public ConformanceCounts ToCounts() => new(Requests, Responses, Violations);
    }

    /// <summary>The process-wide totals and the file that carries them to <c>.ci/run</c>.</summary>
    private static class ProcessTotals
    {
        private const string DirectoryVariable = "INTEGRATIONS_SDK_CONFORMANCE_DIR";
        private static readonly Lock Gate = new();
        private static readonly Lock FileGate = new();
        private const int MaxExamples = 20;
        private static readonly Dictionary<string, Counter> Platforms = new(StringComparer.Ordinal);
        private static readonly SortedSet<string> Examples = new(StringComparer.Ordinal);
        private static readonly string FileName = $"conformance-{Environment.ProcessId}-{Guid.NewGuid():N}.txt";
        private static int _hooked;

        public static ConformanceCounts Counts
        {
            get
            {
                lock (Gate)
                {
                    return Sum(Platforms.Values);
                }
            }
        }

        public static IReadOnlyDictionary<string, ConformanceCounts> ByPlatform
        {
            get
            {
                lock (Gate)
                {
                    return Platforms.ToDictionary(p => p.Key, p => p.Value.ToCounts(), StringComparer.Ordinal);
                }
            }
        }

        public static void Add(string platform, ConformanceSide side, IReadOnlyList<ConformanceViolation> violations)
        {
            lock (Gate)
            {
                if (!Platforms.TryGetValue(platform, out var counter))
                {
                    counter = new Counter();
                    Platforms.Add(platform, counter);
                }

                counter.Add(side, violations.Count);
                foreach (var violation in violations)
                {
                    if (Examples.Count >= MaxExamples)
                    {
                        break;
                    }

                    Examples.Add(violation.ToString());
                }
            }

            if (Interlocked.Exchange(ref _hooked, 1) == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => AtExit();
            }
        }

        public static string Summary()
        {
            lock (Gate)
            {
                var total = Sum(Platforms.Values);
                var names = string.Join(',', Platforms.Keys.Order(StringComparer.Ordinal));
                return string.Create(CultureInfo.InvariantCulture, $"conformance: requests={total.Requests} responses={total.Responses} violations={total.Violations} platforms={names}");
            }
        }

        /// <summary>Writes the totals (and up to 20 distinct violations seen in Enforce) to this process's own file, replaced whole each time, when the directory is set and anything was counted.</summary>
        public static void WriteFile()
        {
            var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (string.IsNullOrWhiteSpace(directory) || Volatile.Read(ref _hooked) == 0)
            {
                return;
            }

            // The summary line first, then a few of the violations (distinct), for the run to show where to look.
            var summary = Summary();
            string[] examples;
            lock (Gate)
            {
                examples = [.. Examples.Select(e => "conformance violation: " + e.ReplaceLineEndings(" "))];
            }

            var line = string.Join('\n', [summary, .. examples]);

            lock (FileGate)
            {
                try
                {
                    Directory.CreateDirectory(directory);
                    var path = Path.Combine(directory, FileName);
                    var temporary = path + ".tmp";
                    File.WriteAllText(temporary, line + "\n");
                    File.Move(temporary, path, overwrite: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"conformance: could not write the totals to {directory}: {ex.Message}");
                }
            }
        }

        private static void AtExit()
        {
            WriteFile();
            Console.Out.WriteLine(Summary());
        }
    }
}
