using System.Security.Cryptography;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.Server;

namespace Integrations.Sdk.Salesforce.Tests;

/// <summary>A login server and an instance server (WireMock, 127.0.0.1) and a provider with the connector pointed at them.</summary>
internal sealed class SalesforceHost : IDisposable
{
    public const string ClientId = "3MVG9-test-consumer-key";
    public const string Username = "integration@acme.example";
    public const string Org18 = "00D5g000004B98dEAC";

    /// <summary>A throwaway key made for these tests only (generating one per run costs seconds on a busy machine).</summary>
    public const string PrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC6A5lhj6hclN9W
        IYRshYJ0BuyTNT0rc/fIT0W007WskrfabP54YenOslJ6lP+AwsCgaFJnhxZEDyqk
        YDP185uL/cETlxMKKsm90GVwH88HS0LdAZRTJLgGqLmSvMc/uzxNsMukkXQ7z8a9
        6syDC95AOnVcT/Ih9CwIMv1ewPkjCl/EaBOI2mw+5KuQHE4VyaumsJJS24NfXGKY
        Q2+D89fs/UGH4watljWv6fofa3ymtW9FJIQ+ebdjyM0YeshDmF/2TWXbCXun4V/L
        qQA1k2KRfBSyLdYN8msAQn8jN/Ojewuu/DFyck3rllyKZ9oLyX5UrxowD1LGFRH0
        LlooZa7xAgMBAAECggEAOP6eUgLS6t8gmUL20MuNn6B5f1dqMTS8wK7tZE0UFtbz
        p2ULCXayzYbc97tMmDbUD7I3QYpmG59sCOaDNUKZr+il7qs1BcH7g4Hletf8Nrds
        OsxflqQjEMNE7P2TrWbgwMtBcmCw9RyiQBG/7Q1HYXWn/Qtv3NB0Z2S8Nnq5O29N
        jnRh4KF6Fzbw7BT3R5G56xPAwy8wcFyooZD1NyJrK0ceCiFn42yhQPPKOl+oQC4U
        Mt3OBD0L5qvjLGZzUETUshLn59mM+pNGHsunUKJW8UHnwjmMpj4zxUUPUZRj3yk/
        G6CCgSw76t78zLxuJ8mswzTXMA69dDkICnNfwXtxkwKBgQDuVgUElPyld+1wJThW
        jK+bHMhFZk2u7IUECnw0hn/wbdkUyW3PJOJX+dpTlrNxwAgkL/TtiyaBYC8q5QLK
        4/qtNk8O2v6jNG8tIEBvr6/+2PrVSNVm6gxnx59AN5a33VA2bu5ZngbvcIJAxIP8
        q0WiHk+YV8rcp6k73CPEV+whBwKBgQDHzN5FLdE8Pb0NPdNH2hGS+rmIsnI1UZ+T
        JuuzabghonBTNB9hOW/6Ht4Wc+OXK6sqcmKXXoa+61+7JYUjJSLNJbhp3w/jyhBW
        JfVFOB6JPSaIwmkD8g80ExateaqpaYIjkskBP3eTJO41+Z8PvOgvczijR47Zjx6r
        6KLt7B/KRwKBgH+rMHDt5hA1F8l1BqLGJeMvHdCfJonHRNGPVE1Gpw4BqcFKzTmj
        BmQeAOe52FHcjf/keI0udufiwCF4H3DTgpp6dwr8IF8IXW2M0zeAowQe8u6BX18L
        jK2i7xmVLXU8ZhVigucakZh9aiiLnDAjBt/64KQ4kwB0B2F7YOVyO5jNAoGBAMbV
        do1Z31QYDL/UuyJSPhMLOQB0tXuiUy/aF85gc0HlqerjgCb9RhagCVxG0ENszdZc
        JwmEpIvzKT3RRQGIv21xEGkr92A1grR46fGMu7bQCD0pW+D1T3P/Wx4galpWCZDl
        TuvTAWiJ5BYK6OR8loRCIic720lfSKLDzQEBb1GZAoGBAIsVx0JK8HFg2E4bwiEF
        J+ZkCyovF8gzqoM8MSCPvt6DLRZ8HXF3t2MNMQtUV8KQ8K0tORf9NaoNfzMvkyS6
        PiT03K2gnoJO5z9wWWew/ZvsRR7L1t3ZknI8GUZAIsJUz7HrsT+NDIavjiht95+i
        Gl+OolMFrRKDujY3hGrnIK/l
        -----END PRIVATE KEY-----
        """;

    private static readonly Lazy<RSA> SharedKey = new(() =>
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(PrivateKeyPem);
        return rsa;
    });

    public SalesforceHost(Action<SalesforceOptions>? configure = null, bool retries = false)
    {
        Login = WireMockServer.Start();
        Instance = WireMockServer.Start();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging();
        services.AddIntegrations().AddSalesforce(o =>
        {
            o.LoginUrl = new Uri(Login.Url!);
            o.ClientId = ClientId;
            o.Username = Username;
            o.PrivateKeyPem = PrivateKeyPem;
            o.OrganizationId = Org18;
            configure?.Invoke(o);
        });
        services.PostConfigure<ConnectorHttpOptions>(SalesforceConnector.ConnectorName, o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            if (!retries)
            {
                o.MaxRetryAttempts = 0;
            }
        });
        Services = services.BuildServiceProvider();
    }

    public static RSA Key => SharedKey.Value;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

    public WireMockServer Login { get; }

    public WireMockServer Instance { get; }

    public ServiceProvider Services { get; }

    public SalesforceConnector Connector => Services.GetRequiredService<SalesforceConnector>();

    public void Dispose()
    {
        Services.Dispose();
        Login.Stop();
        Login.Dispose();
        Instance.Stop();
        Instance.Dispose();
    }
}
