using BenchmarkDotNet.Attributes;

namespace Integrations.Sdk.Benchmarks;

/// <summary>One order header and its lines: the SDK's compiled mapper against the same mapping written by hand.</summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private readonly Order _order = Orders.Create(1002);

    [Benchmark(Baseline = true)]
    public (InvoiceHeader, List<InvoiceLine>) HandWritten()
    {
        var email = _order.Email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(_order.Currency))
        {
            throw new FormatException("missing email or currency");
        }

        var header = new InvoiceHeader
        {
            CustomerEmail = email,
            CustomerName = _order.FirstName,
            DocNumber = _order.Name.TrimStart('#'),
            TxnDate = DateOnly.FromDateTime(_order.CreatedAt.UtcDateTime),
            Currency = _order.Currency,
        };
        var lines = new List<InvoiceLine>(_order.Lines.Count);
        foreach (var l in _order.Lines)
        {
            lines.Add(new InvoiceLine { Sku = l.Sku.Trim(), Qty = l.Quantity, UnitPrice = l.UnitPrice, Description = l.Title });
        }

        return (header, lines);
    }

    [Benchmark]
    public (InvoiceHeader, List<InvoiceLine>) CompiledMapper()
    {
        var header = Orders.Header.Map(_order);
        var lines = new List<InvoiceLine>(_order.Lines.Count);
        foreach (var l in _order.Lines)
        {
            lines.Add(Orders.LineMapper.Map(l));
        }

        return (header, lines);
    }
}
