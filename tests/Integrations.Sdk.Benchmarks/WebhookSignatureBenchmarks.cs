using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Shopify;
using Integrations.Sdk.Stripe;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Benchmarks;

/// <summary>Verifying one signed ~1 KB delivery, as the receiver does before anything is stored.</summary>
[MemoryDiagnoser]
public class WebhookSignatureBenchmarks
{
    private const string Secret = "whsec_benchmark_secret";
    private readonly ShopifyWebhookSource _shopify = new(Options.Create(new ShopifyOptions { ShopDomain = "bench.myshopify.com", AccessToken = "x", WebhookSecret = Secret }));
    private readonly StripeWebhookSource _stripe = new(Options.Create(new StripeOptions { ApiKey = "sk_test_x", WebhookSecret = Secret }), TimeProvider.System);
    private byte[] _body = [];
    private WebhookRequest _shopifyRequest = null!;
    private WebhookRequest _stripeRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"invoice.payment_failed\",\"created\":1767225600,\"data\":{\"object\":{\"id\":\"in_1\",\"note\":\"" + new string('x', 900) + "\"}}}");
        var url = new Uri("http://127.0.0.1/webhooks/x");
        _shopifyRequest = new WebhookRequest("POST", url, [new("X-Shopify-Hmac-Sha256", Convert.ToBase64String(WebhookSignature.HmacSha256(Secret, _body)))], _body);
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(_body).ToArray();
        _stripeRequest = new WebhookRequest("POST", url, [new("Stripe-Signature", $"t={t},v1={Convert.ToHexStringLower(WebhookSignature.HmacSha256(Secret, signed))}")], _body);
    }

    [Benchmark(Baseline = true)]
    public byte[] HmacSha256_Only() => WebhookSignature.HmacSha256(Secret, _body);

    [Benchmark]
    public bool Shopify_Verify() => _shopify.Verify(_shopifyRequest).IsValid;

    [Benchmark]
    public bool Stripe_Verify() => _stripe.Verify(_stripeRequest).IsValid;
}
