using Integrations.Sdk.Connectors;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Shopify.Tests;

public sealed class ShopifyOptionsTests
{
    private static async Task<Exception> StartFailure(Action<ShopifyOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations().AddShopify(configure);
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("The host started although the options are invalid.");
    }

    private static string Messages(Exception error) => error is AggregateException aggregate
        ? string.Join(Environment.NewLine, aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.Message;

    [Fact]
    public async Task Start_WithoutShopDomain_FailsNamingShopDomain()
    {
        var error = await StartFailure(o => o.AccessToken = "shpat_x");

        Messages(error).Should().Contain("ShopDomain is required");
    }

    [Fact]
    public async Task Start_WithoutAccessToken_FailsNamingAccessToken()
    {
        var error = await StartFailure(o => o.ShopDomain = "acme.myshopify.com");

        Messages(error).Should().Contain("AccessToken is required");
    }

    [Theory]
    [InlineData("https://acme.myshopify.com")]
    [InlineData("acme.myshopify.com/admin")]
    public async Task Start_ShopDomainWithSchemeOrPath_FailsNamingShopDomain(string domain)
    {
        var error = await StartFailure(o =>
        {
            o.ShopDomain = domain;
            o.AccessToken = "shpat_x";
        });

        Messages(error).Should().Contain("ShopDomain").And.Contain("bare host name");
    }

    [Theory]
    [InlineData("2026-11")]
    [InlineData("latest")]
    [InlineData("")]
    public async Task Start_ApiVersionNotQuarterly_FailsNamingApiVersion(string version)
    {
        var error = await StartFailure(o =>
        {
            o.ShopDomain = "acme.myshopify.com";
            o.AccessToken = "shpat_x";
            o.ApiVersion = version;
        });

        Messages(error).Should().Contain("ApiVersion");
    }

    [Fact]
    public async Task Start_PageTooCostlyForShopify_FailsNamingBothPageSizes()
    {
        var error = await StartFailure(o =>
        {
            o.ShopDomain = "acme.myshopify.com";
            o.AccessToken = "shpat_x";
            o.OrdersPageSize = 250;
            o.OrderLineItemsPageSize = 5;
        });

        Messages(error).Should().Contain("OrdersPageSize 250").And.Contain("OrderLineItemsPageSize 5").And.Contain("38503 points").And.Contain("1000");
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(251, 5)]
    [InlineData(10, 0)]
    public async Task Start_PageSizesOutOfRange_FailNamingTheSetting(int orders, int lines)
    {
        var error = await StartFailure(o =>
        {
            o.ShopDomain = "acme.myshopify.com";
            o.AccessToken = "shpat_x";
            o.OrdersPageSize = orders;
            o.OrderLineItemsPageSize = lines;
        });

        Messages(error).Should().MatchRegex(orders is < 1 or > 250 ? "OrdersPageSize must be between 1 and 250" : "OrderLineItemsPageSize must be between 1 and 250");
    }

    [Fact]
    public void Defaults_FitShopifysSingleQueryLimit()
    {
        var options = new ShopifyOptions();

        options.ApiVersion.Should().Be("2026-10");
        options.OrdersPageSize.Should().Be(8);
        options.OrderLineItemsPageSize.Should().Be(3);
        options.UpdatedAtOverlap.Should().Be(TimeSpan.FromMinutes(5));
        options.OrdersQueryCost.Should().Be(851).And.BeLessThanOrEqualTo(ShopifyOptions.MaxQueryCost);
    }

    [Fact]
    public void ToString_HidesSecrets()
    {
        var options = new ShopifyOptions { ShopDomain = "acme.myshopify.com", AccessToken = "shpat_secret", WebhookSecret = "whsec" };

        options.ToString().Should().Contain("acme.myshopify.com").And.NotContain("shpat_secret").And.NotContain("whsec");
    }

    [Fact]
    public void AddShopify_RegistersTheConnectorTheClientAndTheWebhookSource()
    {
        var services = new ServiceCollection();
        services.AddIntegrations().AddShopify(o =>
        {
            o.ShopDomain = "acme.myshopify.com";
            o.AccessToken = "shpat_x";
        });
        using var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        sp.GetRequiredService<ShopifyConnector>().Should().BeSameAs(sp.GetRequiredService<ShopifyConnector>());
        sp.GetRequiredService<IShopifyGraphQl>().Should().NotBeNull();
        sp.GetServices<IWebhookSource>().Should().ContainSingle().Which.Should().BeSameAs(sp.GetRequiredService<ShopifyWebhookSource>());

        var http = sp.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>().Get(ShopifyConnector.ConnectorName);
        http.BaseAddress.Should().Be(new Uri("https://acme.myshopify.com/"));
        http.Auth.Should().BeOfType<ApiKeyAuth>().Which.HeaderName.Should().Be("X-Shopify-Access-Token");
        http.RateLimit.PermitsPerWindow.Should().Be(2);
        http.RateLimit.Window.Should().Be(TimeSpan.FromSeconds(1));
        http.RateLimit.MaxConcurrency.Should().Be(4);
        http.Signals.Should().BeOfType<ShopifySignalReader>();
    }

    [Fact]
    public void AddShopify_Twice_Throws()
    {
        var integrations = new ServiceCollection().AddIntegrations();
        integrations.AddShopify(o => o.ShopDomain = "a.myshopify.com");

        var act = () => integrations.AddShopify(o => o.ShopDomain = "b.myshopify.com");

        act.Should().Throw<InvalidOperationException>().WithMessage("*already registered*");
    }
}
