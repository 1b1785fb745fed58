using System.Net;
using System.Net.Http.Json;
using System.Text;
using BenchmarkDotNet.Attributes;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Refit;

namespace Integrations.Sdk.Benchmarks;

/// <summary>The typed client's Refit interface.</summary>
public interface IStubApi
{
    [Post("/customer")]
    Task<Customer> CreateAsync([Body] Customer customer, [Query] string requestid, CancellationToken cancellationToken);
}

/// <summary>
/// One POST with JSON both ways through the client side only (the primary handler answers in memory, no socket):
/// the SDK's typed client (AddConnectorClient: error translation, timeouts, retry, circuit breaker, budget,
/// tracing and signals) against a named HttpClient with a Polly retry and timeout.
/// </summary>
[MemoryDiagnoser]
public class TransportBenchmarks
{
    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("{\"id\":\"42\",\"displayName\":\"Ada\",\"email\":\"ada@example.com\"}");
    private readonly Customer _customer = new() { DisplayName = "Ada", Email = "ada@example.com" };
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddConnectorClient<IStubApi>("stub", (_, http) =>
            {
                http.BaseAddress = new Uri("http://127.0.0.1/");
                http.RateLimit = new RateLimitOptions { PermitsPerWindow = 100_000_000 };
                http.IdempotencyQueryParameters.Add("requestid");
            }, _ => new RefitSettings(new SystemTextJsonContentSerializer(BenchJsonContext.Default.Options)))
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler());
        services.AddHttpClient("plain", c => { c.BaseAddress = new Uri("http://127.0.0.1/"); c.Timeout = Timeout.InfiniteTimeSpan; })
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler())
            .AddResilienceHandler("retry", p => p
                .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 4, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(30)));
        _services = services.BuildServiceProvider();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<Customer?> HttpClient_Polly()
    {
        var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient("plain");
        using var response = await client.PostAsJsonAsync("customer?requestid=abc", _customer, BenchJsonContext.Default.Customer);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BenchJsonContext.Default.Customer);
    }

    [Benchmark]
    public Task<Customer> Sdk_ConnectorClient() => _services.GetRequiredService<IStubApi>().CreateAsync(_customer, "abc", CancellationToken.None);

    private sealed class StubHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(Stream.Null, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Answer) { Headers = { ContentType = new("application/json") } } };
        }
    }
}
