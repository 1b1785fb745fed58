using Integrations.Sdk.Connectors;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.QuickBooks.Tests;

public sealed class QuickBooksOptionsTests
{
    private static void Valid(QuickBooksOptions o)
    {
        o.RealmId = QboHost.Realm;
        o.ClientId = "client-id";
        o.ClientSecret = "client-secret-value";
    }

    [Fact]
    public async Task HostStart_MinorVersionBelow75_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations().AddQuickBooks(o =>
        {
            Valid(o);
            o.MinorVersion = 70;
        });
        using var host = builder.Build();

        var act = () => host.StartAsync();

        // The connector's HTTP options read the QuickBooks options, so the host may report the same failure twice.
        await act.Should().ThrowAsync<OptionsValidationException>().WithMessage("QuickBooks: MinorVersion 70 is below 75*");
    }

    [Theory]
    [InlineData("RealmId")]
    [InlineData("ClientId")]
    [InlineData("ClientSecret")]
    [InlineData("TokenEndpoint")]
    [InlineData("BaseAddress")]
    public void MissingOrWrongSetting_IsNamed(string setting)
    {
        using var services = QboHost.Build(TimeProvider.System, o =>
        {
            Valid(o);
            switch (setting)
            {
                case "RealmId": o.RealmId = " "; break;
                case "ClientId": o.ClientId = string.Empty; break;
                case "ClientSecret": o.ClientSecret = string.Empty; break;
                case "TokenEndpoint": o.TokenEndpoint = new Uri("/token", UriKind.Relative); break;
                case "BaseAddress": o.BaseAddress = new Uri("api/", UriKind.Relative); break;
            }
        });

        var act = () => services.GetRequiredService<QuickBooksConnector>();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("QuickBooks: " + setting);
    }

    [Fact]
    public void ValidOptions_ConfigureTheTransportWithIntuitsLimitsAndRequestId()
    {
        using var services = QboHost.Build(TimeProvider.System, o =>
        {
            Valid(o);
            o.InitialRefreshToken = "refresh-0";
        });

        var http = services.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>().Get("quickbooks");

        http.BaseAddress.Should().Be(new Uri("https://quickbooks.api.intuit.com/"));
        // Intuit's rates (10 per second, 500 per minute) with half-size bursts, and Intuit's 10 in flight.
        http.RateLimit.PermitsPerWindow.Should().Be(5);
        http.RateLimit.Window.Should().Be(TimeSpan.FromMilliseconds(500));
        http.RateLimit.MaxConcurrency.Should().Be(10);
        http.AdditionalRateLimits.Should().ContainSingle().Which.Should().BeEquivalentTo(new RateLimitOptions { PermitsPerWindow = 250, Window = TimeSpan.FromSeconds(30) });
        http.IdempotencyQueryParameters.Should().Equal("requestid");
        http.Signals.Should().BeOfType<QuickBooksSignalReader>();
        var auth = http.Auth.Should().BeOfType<OAuth2Auth>().Subject;
        auth.TokenEndpoint.Should().Be(new Uri("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"));
        auth.CredentialStyle.Should().Be(ClientCredentialStyle.BasicHeader);
        auth.ClientId.Should().Be("client-id");
        auth.InitialRefreshToken.Should().Be("refresh-0");
        services.GetRequiredService<QuickBooksConnector>().RealmId.Should().Be(QboHost.Realm);
        services.GetServices<IWebhookSource>().Should().ContainSingle().Which.Should().BeOfType<QuickBooksWebhookSource>();
    }

    [Fact]
    public void Environment_SelectsTheHost_AndBaseAddressOverridesIt()
    {
        var options = new QuickBooksOptions { Environment = QuickBooksEnvironment.Sandbox };
        options.ResolveBaseAddress().Should().Be(new Uri("https://sandbox-quickbooks.api.intuit.com/"));
        options.BaseAddress = new Uri("http://127.0.0.1:5000/");
        options.ResolveBaseAddress().Should().Be(new Uri("http://127.0.0.1:5000/"));
        new QuickBooksOptions().ResolveBaseAddress().Should().Be(new Uri("https://quickbooks.api.intuit.com/"));
    }

    [Fact]
    public void AddQuickBooks_Twice_Throws()
    {
        var builder = new ServiceCollection().AddIntegrations().AddQuickBooks(Valid);

        var act = () => builder.AddQuickBooks(Valid);

        act.Should().Throw<InvalidOperationException>().WithMessage("*once*");
    }

    [Fact]
    public void ToString_NeverShowsSecrets()
    {
        var options = new QuickBooksOptions { RealmId = "1", ClientId = "id", ClientSecret = "top-secret", InitialRefreshToken = "refresh-secret", WebhookVerifierToken = "verifier-secret" };

        options.ToString().Should().NotContain("top-secret").And.NotContain("refresh-secret").And.NotContain("verifier-secret").And.Contain("realm 1");
    }

    [Fact]
    public void QueryLiteral_EscapesApostrophesAndBackslashes()
    {
        QuickBooksQuery.Literal("O'Brien \\ Sons").Should().Be("'O\\'Brien \\\\ Sons'");
        QuickBooksQuery.Equal("MetaData.LastUpdatedTime", "2026-11-27").Should().Be("MetaData.LastUpdatedTime = '2026-11-27'");
        FluentActions.Invoking(() => QuickBooksQuery.Equal("Name' OR 1=1", "x")).Should().Throw<ArgumentException>();
    }
}
