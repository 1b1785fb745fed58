using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>The HTTP side: routing, fault injection, throttling, auth, realm and minorversion checks, requestid replay.</summary>
public sealed partial class QuickBooksSimulator
{
    private readonly Lock _throttleGate = new();
    private readonly Dictionary<string, RealmThrottle> _throttles = new(StringComparer.Ordinal);
    private Hold? _hold;

    private async Task<IResult> QueryAsync(HttpContext context)
    {
        // GET with ?query=..., or POST with the statement as the body (Content-Type: application/text).
        var text = context.Request.Query["query"].ToString();
        if (string.IsNullOrWhiteSpace(text) && HttpMethods.IsPost(context.Request.Method))
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        return await ServeApiAsync(context, "query", requestId: null, now =>
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return RequiredMissing(now, "query");
            }

            QboQuery query;
            try
            {
                query = QboQuery.Parse(text);
            }
            catch (QboQueryException ex)
            {
                return QboFaults.Validation(now, "4000", "Error parsing query", ex.Message);
            }

            return Query(query, now);
        }).ConfigureAwait(false);
    }

    private Task<IResult> ReadAsync(HttpContext context)
    {
        var entity = context.Request.RouteValues["entity"] as string ?? string.Empty;
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        return ServeApiAsync(context, entity.ToLowerInvariant() + ".read", requestId: null, now =>
            ServedEntity(entity) is { } kind ? Read(kind, id, now) : UnsupportedEntity(now, entity));
    }

    /// <summary>Any route the simulator does not serve: 404 with QuickBooks' Fault body (the status and code are assumed, not documented).</summary>
    private IResult UnknownRoute(HttpContext context)
    {
        context.Response.Headers["intuit_tid"] = NewSecret("sim-tid-");
        return Answer(context, QboFaults.Validation(Time.GetUtcNow(), "500", "Unsupported Operation",
            $"Operation {context.Request.Method} {context.Request.Path} is not supported.", status: StatusCodes.Status404NotFound));
    }

    /// <summary>The entity name as served (<c>Invoice</c>), for a path segment in any case (<c>invoice</c>), or null.</summary>
    private static string? ServedEntity(string segment) =>
        Array.Find(ServedNames, n => string.Equals(n, segment, StringComparison.OrdinalIgnoreCase));

    /// <summary>An entity QuickBooks may have but the simulator does not serve (or no entity at all): 400, code 500 Unsupported Operation.</summary>
    private static QboAnswer UnsupportedEntity(DateTimeOffset now, string entity) =>
        QboFaults.Validation(now, "500", "Unsupported Operation", $"Operation {entity} is not supported. (The simulator serves {string.Join(", ", ServedNames)}.)");

    private async Task<IResult> WriteAsync(HttpContext context)
    {
        var entity = (context.Request.RouteValues["entity"] as string ?? string.Empty).ToLowerInvariant();
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        var endpoint = entity == "item" ? (body is JsonObject { } o && o.ContainsKey("Id") ? "item.update" : "item.create") : entity + ".create";
        var requestId = context.Request.Query["requestid"].ToString();
        return await ServeApiAsync(context, endpoint, string.IsNullOrEmpty(requestId) ? null : requestId, now =>
        {
            if (invalid is not null || body is not JsonObject json)
            {
                return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property", $"the body is not a JSON object: {invalid ?? "found " + body?.GetValueKind()}");
            }

            return entity switch
            {
                "customer" => CreateCustomer(json, now),
                "invoice" => CreateSale("Invoice", json, now),
                "salesreceipt" => CreateSale("SalesReceipt", json, now),
                "creditmemo" => CreateSale("CreditMemo", json, now),
                "payment" => CreatePayment(json, now),
                "item" when json.ContainsKey("Id") => UpdateItem(json, now),
                "item" => CreateItem(json, now),
                _ => UnsupportedEntity(now, entity),
            };
        }).ConfigureAwait(false);
    }

    private Task<IResult> ServeApiAsync(HttpContext context, string endpoint, string? requestId, Func<DateTimeOffset, QboAnswer> apply)
    {
        context.Response.Headers["intuit_tid"] = NewSecret("sim-tid-");
        Interlocked.Increment(ref _requests);
        return WithFaultsAsync(context, endpoint, async () => Answer(context, await HandleAsync(context, requestId, apply).ConfigureAwait(false)));
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) => Answer(context,
        context.Request.Path.StartsWithSegments(TokenPath, StringComparison.Ordinal) ? new QboAnswer(status, """{"error":"server_error"}""")
        : status == StatusCodes.Status429TooManyRequests ? QboFaults.Throttled(Time.GetUtcNow(), null, "injected throttle")
        : QboFaults.Server(Time.GetUtcNow(), status));

    /// <summary>
    /// Admits the request into the realm's throttle, then holds it in flight (<see cref="ProcessingTime"/> on the
    /// simulator's clock, and any <see cref="HoldRequests"/> gate) before serving it, so concurrent requests overlap
    /// as on a real server and the in-flight limit can be reached.
    /// </summary>
    private async Task<QboAnswer> HandleAsync(HttpContext context, string? requestId, Func<DateTimeOffset, QboAnswer> apply)
    {
        var realm = context.Request.RouteValues["realmId"] as string ?? string.Empty;
        var arrived = Time.GetUtcNow();
        if (!TryAdmit(realm, arrived, out var retryAfter, out var overConcurrency))
        {
            Interlocked.Increment(ref _throttled);
            return QboFaults.Throttled(arrived, SendRetryAfter ? retryAfter : null, overConcurrency
                ? $"More than {MaxConcurrentRequests} requests are in flight for realm {realm} at once"
                : $"The request limit has been reached for realm {realm} ({RequestsPerSecond}/s, {RequestsPerMinute}/min)");
        }

        try
        {
            if (ProcessingTime > TimeSpan.Zero)
            {
                await Task.Delay(ProcessingTime, Time, context.RequestAborted).ConfigureAwait(false);
            }

            if (Volatile.Read(ref _hold) is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }

            return Serve(context, realm, requestId, apply);
        }
        finally
        {
            Leave(realm);
        }
    }

    private QboAnswer Serve(HttpContext context, string realm, string? requestId, Func<DateTimeOffset, QboAnswer> apply)
    {
        var now = Time.GetUtcNow();
        if (Authenticate(context.Request.Headers.Authorization.ToString(), now) is { } refused)
        {
            return refused;
        }

        if (!string.Equals(realm, RealmId, StringComparison.Ordinal))
        {
            return QboFaults.Authorization(now, $"the access token does not grant realm {realm}");
        }

        // As documented since 2025-08-01: no minorversion, or one below 75, is answered as 75. Not a whole number: refused (assumed).
        var minor = context.Request.Query["minorversion"].ToString();
        if (minor.Length > 0 && !int.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return QboFaults.Validation(now, "2010", "Request has invalid or unsupported property",
                $"minorversion must be a whole number (for example {MinimumMinorVersion}), not '{minor}'", "minorversion");
        }

        lock (Gate)
        {
            var key = realm + "|" + requestId;
            if (requestId is not null && _replays.TryGetValue(key, out var original))
            {
                _replayed++;
                return original;
            }

            var answer = apply(now);
            if (requestId is not null && answer.IsSuccess)
            {
                _replays[key] = answer;
            }

            return answer;
        }
    }

    private static IResult Answer(HttpContext context, QboAnswer answer)
    {
        if (answer.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return Results.Content(answer.Body, "application/json", Encoding.UTF8, answer.Status);
    }

    /// <summary>Takes a permit from the realm's per-second and per-minute buckets and a slot in flight, or says how long to wait.</summary>
    private bool TryAdmit(string realm, DateTimeOffset now, out TimeSpan retryAfter, out bool overConcurrency)
    {
        overConcurrency = false;
        lock (_throttleGate)
        {
            if (!_throttles.TryGetValue(realm, out var throttle))
            {
                throttle = new RealmThrottle { PerSecond = RequestsPerSecond, PerMinute = RequestsPerMinute, Last = now };
                _throttles[realm] = throttle;
            }

            if (now > throttle.Last)
            {
                var elapsed = now - throttle.Last;
                throttle.PerSecond = Math.Min(RequestsPerSecond, throttle.PerSecond + (elapsed.TotalSeconds * RequestsPerSecond));
                throttle.PerMinute = Math.Min(RequestsPerMinute, throttle.PerMinute + (elapsed.TotalMinutes * RequestsPerMinute));
                throttle.Last = now;
            }

            var limitSecond = RequestsPerSecond >= 1;
            var limitMinute = RequestsPerMinute >= 1;
            if (MaxConcurrentRequests >= 1 && throttle.InFlight >= MaxConcurrentRequests)
            {
                overConcurrency = true;
                retryAfter = TimeSpan.FromSeconds(1);
                return false;
            }

            if ((limitSecond && throttle.PerSecond < 1) || (limitMinute && throttle.PerMinute < 1))
            {
                var wait = TimeSpan.Zero;
                if (limitSecond && throttle.PerSecond < 1)
                {
                    wait = TimeSpan.FromSeconds((1 - throttle.PerSecond) / RequestsPerSecond);
                }

                if (limitMinute && throttle.PerMinute < 1)
                {
                    var minute = TimeSpan.FromMinutes((1 - throttle.PerMinute) / RequestsPerMinute);
                    wait = minute > wait ? minute : wait;
                }

                retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
                return false;
            }

            throttle.PerSecond--;
            throttle.PerMinute--;
            throttle.InFlight++;
            throttle.PeakInFlight = Math.Max(throttle.PeakInFlight, throttle.InFlight);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    private int ReadThrottle(Func<RealmThrottle, int> read)
    {
        lock (_throttleGate)
        {
            return _throttles.TryGetValue(RealmId, out var throttle) ? read(throttle) : 0;
        }
    }

    private void Leave(string realm)
    {
        lock (_throttleGate)
        {
            if (_throttles.TryGetValue(realm, out var throttle) && throttle.InFlight > 0)
            {
                throttle.InFlight--;
            }
        }
    }

    private sealed class RealmThrottle
    {
        public double PerSecond { get; set; }

        public double PerMinute { get; set; }

        public DateTimeOffset Last { get; set; }

        public int InFlight { get; set; }

        public int PeakInFlight { get; set; }
    }

    private sealed class Hold : IDisposable
    {
        private readonly QuickBooksSimulator _owner;
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Hold(QuickBooksSimulator owner) => _owner = owner;

        public Task Task => _released.Task;

        public void Dispose()
        {
            Interlocked.CompareExchange(ref _owner._hold, null, this);
            _released.TrySetResult();
        }
    }
}
