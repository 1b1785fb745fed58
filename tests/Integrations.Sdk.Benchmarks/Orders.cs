using System.Text.Json;
using System.Text.Json.Serialization;
using Integrations.Sdk.Mapping;

namespace Integrations.Sdk.Benchmarks;

public sealed record Order(long Id, string Name, string? Email, string FirstName, string LastName, string Currency, DateTimeOffset CreatedAt, string FinancialStatus, IReadOnlyList<Line> Lines);

public sealed record Line(string Sku, int Quantity, decimal UnitPrice, string Title);

public sealed class InvoiceHeader
{
    public string CustomerEmail { get; set; } = "";

    public string CustomerName { get; set; } = "";

    public string DocNumber { get; set; } = "";

    public DateOnly TxnDate { get; set; }

    public string Currency { get; set; } = "";
}

public sealed class InvoiceLine
{
    public string Sku { get; set; } = "";

    public decimal Qty { get; set; }

    public decimal UnitPrice { get; set; }

    public string? Description { get; set; }
}

public sealed class Customer
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Customer))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>Sample orders and the mappers under test.</summary>
public static class Orders
{
    public static readonly Mapper<Order, InvoiceHeader> Header = Mapper.Create<Order, InvoiceHeader>(m => m
        .Field(h => h.CustomerEmail, o => o.Email, "trim, lowercase", e => e!.Trim().ToLowerInvariant()).Required()
        .Field(h => h.CustomerName, o => o.FirstName)
        .Field(h => h.DocNumber, o => o.Name, "strip #", n => n.TrimStart('#'))
        .Field(h => h.TxnDate, o => o.CreatedAt, "date (UTC)", d => DateOnly.FromDateTime(d.UtcDateTime))
        .Field(h => h.Currency, o => o.Currency).Required());

    public static readonly Mapper<Line, InvoiceLine> LineMapper = Mapper.Create<Line, InvoiceLine>(m => m
        .Field(l => l.Sku, li => li.Sku, "trim", s => s.Trim()).Required()
        .Field(l => l.Qty, li => li.Quantity, "to decimal", q => (decimal)q)
        .Field(l => l.UnitPrice, li => li.UnitPrice)
        .Field(l => l.Description, li => li.Title));

    public static Order Create(long id)
    {
        var lines = new Line[1 + (int)(id % 3)];
        for (var j = 0; j < lines.Length; j++)
        {
            var sku = (int)((id * 7 + j) % 50);
            lines[j] = new Line($"SKU-{sku}", 1 + j, 10m + sku, $"Product {sku}");
        }

        return new Order(id, $"#{id}", $"Customer{id % 1000}@Example.com", "Ada", $"Buyer{id % 1000}", "USD", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(id), "paid", lines);
    }
}
