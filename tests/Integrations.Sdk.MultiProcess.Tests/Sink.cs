using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>
/// The platform the worker instances write to, on 127.0.0.1: effects and ledger entries deduplicated by
/// Idempotency-Key (a repeated key gets the first answer back, as Stripe does), and a growing list of orders.
/// Counts what was applied, per event or order and per instance, and how many requests were replays.
/// </summary>
public sealed class Sink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);
    private long _visibleOrders;
    private int _replays;

    private Sink(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, int> EffectsByEvent { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<long, int> LedgerByOrder { get; } = new();

    public ConcurrentDictionary<string, int> WritesByInstance { get; } = new(StringComparer.Ordinal);

    /// <summary>The instance that made the latest ledger entry, and the entry's sequence number.</summary>
    public (string Instance, long Sequence) LastLedgerWriter { get; private set; } = ("", 0);

    public int Replays => Volatile.Read(ref _replays);

    public long VisibleOrders
    {
        get => Interlocked.Read(ref _visibleOrders);
        set => Interlocked.Exchange(ref _visibleOrders, value);
    }

    public Uri Address => new(_app.Urls.First());

    public static async Task<Sink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new Sink(app);
        app.MapPost("/effects", (HttpContext http, Body body) => sink.Apply(http, "effect:", body, () =>
            sink.EffectsByEvent.AddOrUpdate(body.EventId!, 1, (_, n) => n + 1)));
        app.MapPost("/ledger", (HttpContext http, Body body) => sink.Apply(http, "ledger:", body, () =>
        {
            sink.LedgerByOrder.AddOrUpdate(body.OrderId, 1, (_, n) => n + 1);
            lock (sink._answers)
            {
                sink.LastLedgerWriter = (body.Instance!, sink.LastLedgerWriter.Sequence + 1);
            }
        }));
        app.MapGet("/orders", (long after, int limit) =>
        {
            var visible = sink.VisibleOrders;
            var items = new List<object>();
            for (var id = after + 1; id <= visible && items.Count < limit; id++)
            {
                items.Add(new { id });
            }

            return Results.Json(new { items });
        });
        await app.StartAsync();
        return sink;
    }

    private IResult Apply(HttpContext http, string kind, Body body, Action effect)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0 || body.Instance is null)
        {
            return Results.BadRequest(new { error = "Idempotency-Key header and instance are required" });
        }

        var fresh = false;
        var answer = _answers.GetOrAdd(kind + key, _ =>
        {
            fresh = true;
            return Guid.NewGuid().ToString("N");
        });
        if (fresh)
        {
            effect();
            WritesByInstance.AddOrUpdate(body.Instance, 1, (_, n) => n + 1);
        }
        else
        {
            Interlocked.Increment(ref _replays);
        }

        return Results.Json(new { id = answer, replayed = !fresh });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record Body(string? EventId, long OrderId, string? Instance);
}
