using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Integrations.Sdk.Benchmarks;

/// <summary>An order to and from JSON: a source-generated context against reflection-based metadata.</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);
    private readonly Order _order = Orders.Create(1002);
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup() => _json = JsonSerializer.SerializeToUtf8Bytes(_order, BenchJsonContext.Default.Order);

    [Benchmark(Baseline = true)]
    public byte[] Serialize_Reflection() => JsonSerializer.SerializeToUtf8Bytes(_order, Reflection);

    [Benchmark]
    public byte[] Serialize_SourceGenerated() => JsonSerializer.SerializeToUtf8Bytes(_order, BenchJsonContext.Default.Order);

    [Benchmark]
    public Order? Deserialize_Reflection() => JsonSerializer.Deserialize<Order>(_json, Reflection);

    [Benchmark]
    public Order? Deserialize_SourceGenerated() => JsonSerializer.Deserialize(_json, BenchJsonContext.Default.Order);
}
