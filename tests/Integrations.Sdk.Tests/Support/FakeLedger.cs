using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.Tests.Support;

public sealed record Order(int Id, string? Email, decimal Total, bool Paid, int UpdatedAt);

public sealed class InvoiceDraft
{
    public string Email { get; set; } = "";

    public decimal Total { get; set; }

    public string Reference { get; set; } = "";
}

/// <summary>
/// A small in-process fake platform: customers (natural upsert by email), invoices (deduplicated by idempotency
/// key), emails (unsafe: every call sends one). Faults can be injected per operation, including commit-then-drop.
/// </summary>
public sealed class FakeLedger
{
    private readonly ConcurrentDictionary<string, string> _customers = new();
    private readonly ConcurrentDictionary<string, string> _invoicesByKey = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(Func<Exception> Error, bool ApplyFirst)>> _faults = new();
    private int _calls;

    public ConcurrentQueue<string> Emails { get; } = new();

    public ConcurrentQueue<string> InvoiceKeysSeen { get; } = new();

    public ConcurrentDictionary<string, int> CallsByOperation { get; } = new();

    public int Customers => _customers.Count;

    public int Invoices => _invoicesByKey.Count;

    public int Calls => _calls;

    public static Exception Refused(string message = "validation failed") =>
        new PlatformException("ledger", HttpStatusCode.BadRequest, "invalid", message);

    public static Exception Unavailable() =>
        new PlatformException("ledger", HttpStatusCode.ServiceUnavailable, null, "down", isRetryable: true, mayHaveBeenApplied: true);

    public static Exception Throttled() =>
        new PlatformException("ledger", HttpStatusCode.TooManyRequests, null, "slow down", isRetryable: true);

    public static Exception ResponseLost() =>
        new PlatformException("ledger", null, "timeout", "no response", isRetryable: true, mayHaveBeenApplied: true);

    public void Fail(string operation, Func<Exception> error, int times = 1, bool applyFirst = false)
    {
        var queue = _faults.GetOrAdd(operation, _ => new());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue((error, applyFirst));
        }
    }

    public Task<string> UpsertCustomerAsync(string email, CancellationToken cancellationToken) =>
        Call("customer", () => _customers.GetOrAdd(email, e => "cust-" + e));

    public Task<string?> FindCustomerAsync(string email, CancellationToken cancellationToken) =>
        Call<string?>("find-customer", () => _customers.TryGetValue(email, out var id) ? id : null);

    public Task<string> CreateCustomerNoDedupeAsync(string email, CancellationToken cancellationToken) =>
        Call("create-customer", () =>
        {
            var id = "cust-" + email;
            if (!_customers.TryAdd(email, id))
            {
                throw new InvalidOperationException($"duplicate customer {email}");
            }

            return id;
        });

    public Task<string> CreateInvoiceAsync(string idempotencyKey, string customerId, decimal total, CancellationToken cancellationToken)
    {
        InvoiceKeysSeen.Enqueue(idempotencyKey);
        return Call("invoice", () => _invoicesByKey.GetOrAdd(idempotencyKey, _ => $"inv-{customerId}-{total}"));
    }

    public Task<string> SendEmailAsync(string to, CancellationToken cancellationToken) =>
        Call("email", () =>
        {
            Emails.Enqueue(to);
            return "msg-" + Emails.Count;
        });

    private Task<T> Call<T>(string operation, Func<T> apply)
    {
        Interlocked.Increment(ref _calls);
        CallsByOperation.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (_faults.TryGetValue(operation, out var queue) && queue.TryDequeue(out var fault))
        {
            if (fault.ApplyFirst)
            {
                apply();
            }

            return Task.FromException<T>(fault.Error());
        }

        return Task.FromResult(apply());
    }
}

/// <summary>An incremental source over a list of orders: the checkpoint is the last UpdatedAt read.</summary>
public sealed class OrderSource(IEnumerable<Order> orders) : IRecordSource<Order>
{
    public List<Order> Orders { get; } = [.. orders];

    public List<string?> CheckpointsAsked { get; } = [];

    public int? FailAfter { get; set; }

    public async IAsyncEnumerable<SourceRecord<Order>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckpointsAsked.Add(checkpoint);
        var after = checkpoint is null ? int.MinValue : int.Parse(checkpoint, System.Globalization.CultureInfo.InvariantCulture);
        var read = 0;
        foreach (var order in Orders.Where(o => o.UpdatedAt > after).OrderBy(o => o.UpdatedAt))
        {
            if (FailAfter is { } limit && read == limit)
            {
                throw new PlatformException("ledger", HttpStatusCode.BadGateway, null, "page 2 failed", isRetryable: true);
            }

            read++;
            await Task.Yield();
            yield return new SourceRecord<Order>(order, order.UpdatedAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
