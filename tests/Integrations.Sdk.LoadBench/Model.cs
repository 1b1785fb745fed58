using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Mapping;

namespace Integrations.Sdk.LoadBench;

/// <summary>A Shopify-like order, as a source reads it.</summary>
public sealed record BenchOrder(
    long Id,
    string Name,
    string? Email,
    string FirstName,
    string LastName,
    string Currency,
    DateTimeOffset CreatedAt,
    string FinancialStatus,
    IReadOnlyList<BenchLine> Lines);

/// <summary>A Shopify-like line item.</summary>
public sealed record BenchLine(string Sku, int Quantity, decimal UnitPrice, string Title);

/// <summary>The invoice header an order maps to.</summary>
public sealed class InvoiceHeader
{
    public string CustomerEmail { get; set; } = "";

    public string CustomerName { get; set; } = "";

    public string DocNumber { get; set; } = "";

    public DateOnly TxnDate { get; set; }

    public string Currency { get; set; } = "";
}

/// <summary>One invoice line a line item maps to.</summary>
public sealed class InvoiceLine
{
    public string Sku { get; set; } = "";

    public decimal Qty { get; set; }

    public decimal UnitPrice { get; set; }

    public string? Description { get; set; }
}

/// <summary>An order mapped for the books platform.</summary>
public sealed record MappedOrder(InvoiceHeader Header, List<InvoiceLine> Lines);

// The QuickBooks-like wire shapes the sink speaks.
public sealed class CustomerDraft
{
    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";
}

public sealed class Customer
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";
}

public sealed class CustomerEnvelope
{
    public Customer? Customer { get; set; }
}

public sealed class InvoiceLineDraft
{
    public string Sku { get; set; } = "";

    public decimal Qty { get; set; }

    public decimal UnitPrice { get; set; }

    public decimal Amount { get; set; }

    public string? Description { get; set; }
}

public sealed class InvoiceDraft
{
    public string CustomerId { get; set; } = "";

    public string DocNumber { get; set; } = "";

    public DateOnly TxnDate { get; set; }

    public string Currency { get; set; } = "";

    public List<InvoiceLineDraft> Lines { get; set; } = [];
}

public sealed class Invoice
{
    public string Id { get; set; } = "";

    public string DocNumber { get; set; } = "";
}

public sealed class InvoiceEnvelope
{
    public Invoice? Invoice { get; set; }
}

/// <summary>Source-generated JSON for every type that crosses the wire or the step memo.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BenchOrder))]
[JsonSerializable(typeof(CustomerDraft))]
[JsonSerializable(typeof(CustomerEnvelope))]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(InvoiceDraft))]
[JsonSerializable(typeof(InvoiceEnvelope))]
[JsonSerializable(typeof(Invoice))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>How an order maps: the SDK's compiled mappers, and the same written by hand.</summary>
public static class OrderMapping
{
    public static readonly Mapper<BenchOrder, InvoiceHeader> Header = Mapper.Create<BenchOrder, InvoiceHeader>(m => m
        .Field(h => h.CustomerEmail, o => o.Email, "trim, lowercase", e => e!.Trim().ToLowerInvariant()).Required()
        .Field(h => h.CustomerName, o => o.FirstName)
        .Field(h => h.DocNumber, o => o.Name, "strip #", n => n.TrimStart('#'))
        .Field(h => h.TxnDate, o => o.CreatedAt, "date (UTC)", d => DateOnly.FromDateTime(d.UtcDateTime))
        .Field(h => h.Currency, o => o.Currency).Required());

    public static readonly Mapper<BenchLine, InvoiceLine> Line = Mapper.Create<BenchLine, InvoiceLine>(m => m
        .Field(l => l.Sku, li => li.Sku, "trim", s => s.Trim()).Required()
        .Field(l => l.Qty, li => li.Quantity, "to decimal", q => (decimal)q)
        .Field(l => l.UnitPrice, li => li.UnitPrice)
        .Field(l => l.Description, li => li.Title));

    /// <summary>Maps with the SDK's compiled mappers.</summary>
    public static MappedOrder MapWithSdk(BenchOrder order)
    {
        var header = Header.Map(order);
        header.CustomerName = $"{order.FirstName} {order.LastName} ({header.CustomerEmail})";
        var lines = new List<InvoiceLine>(order.Lines.Count);
        foreach (var line in order.Lines)
        {
            lines.Add(Line.Map(line));
        }

        return new MappedOrder(header, lines);
    }

    /// <summary>The same mapping, written by hand.</summary>
    public static MappedOrder MapByHand(BenchOrder order)
    {
        var email = order.Email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(order.Currency))
        {
            throw new FormatException($"order {order.Id} has no email or currency");
        }

        var header = new InvoiceHeader
        {
            CustomerEmail = email,
            CustomerName = $"{order.FirstName} {order.LastName} ({email})",
            DocNumber = order.Name.TrimStart('#'),
            TxnDate = DateOnly.FromDateTime(order.CreatedAt.UtcDateTime),
            Currency = order.Currency,
        };
        var lines = new List<InvoiceLine>(order.Lines.Count);
        foreach (var line in order.Lines)
        {
            lines.Add(new InvoiceLine { Sku = line.Sku.Trim(), Qty = line.Quantity, UnitPrice = line.UnitPrice, Description = line.Title });
        }

        return new MappedOrder(header, lines);
    }

    /// <summary>The invoice request for a mapped order.</summary>
    public static InvoiceDraft ToInvoice(MappedOrder mapped, string customerId)
    {
        var lines = new List<InvoiceLineDraft>(mapped.Lines.Count);
        foreach (var l in mapped.Lines)
        {
            lines.Add(new InvoiceLineDraft { Sku = l.Sku, Qty = l.Qty, UnitPrice = l.UnitPrice, Amount = l.Qty * l.UnitPrice, Description = l.Description });
        }

        return new InvoiceDraft
        {
            CustomerId = customerId,
            DocNumber = mapped.Header.DocNumber,
            TxnDate = mapped.Header.TxnDate,
            Currency = mapped.Header.Currency,
            Lines = lines,
        };
    }
}

/// <summary>
/// Generates orders on the fly, deterministically: nothing is held in memory, so a source of a million orders
/// costs what one order costs. Order numbers start at 1001; every order is paid; customers repeat.
/// </summary>
public sealed class OrderGenerator(int count, int customers = 1000, long firstId = 1001) : IRecordSource<BenchOrder>
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int Count => count;

    public static BenchOrder Create(long id, int customers)
    {
        var c = (int)(id % customers);
        var lineCount = 1 + (int)(id % 3);
        var lines = new BenchLine[lineCount];
        for (var j = 0; j < lineCount; j++)
        {
            var sku = (int)((id * 7 + j) % 50);
            lines[j] = new BenchLine($"SKU-{sku}", 1 + j, 10m + sku, $"Product {sku}");
        }

        return new BenchOrder(id, $"#{id}", $"Customer{c}@Example.com", "Ada", $"Buyer{c}", "USD", Epoch.AddMinutes(id), "paid", lines);
    }

    /// <summary>The orders as a plain stream (for hand-written code).</summary>
    public async IAsyncEnumerable<BenchOrder> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Create(firstId + i, customers);
            if (i % 250 == 249)
            {
                await Task.Yield(); // a page boundary
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SourceRecord<BenchOrder>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = checkpoint is null ? 0 : long.Parse(checkpoint, System.Globalization.CultureInfo.InvariantCulture) - firstId + 1;
        for (var i = start; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = firstId + i;
            yield return new SourceRecord<BenchOrder>(Create(id, customers), id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (i % 250 == 249)
            {
                await Task.Yield(); // a page boundary
            }
        }
    }
}
