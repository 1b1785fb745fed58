using Integrations.Sdk.Stripe.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Stripe.Tests;

public sealed class StripeOptionsTests
{
    [Fact]
    public void Defaults_PinTheVersionAndUseStripesHostAndTolerance()
    {
        var options = new StripeOptions();

        options.ApiVersion.Should().Be(StripeOptions.DefaultApiVersion).And.MatchRegex(@"^\d{4}-\d{2}-\d{2}\.[a-z]+$");
        options.BaseAddress.Should().Be(new Uri("https://api.stripe.com/"));
        options.WebhookTolerance.Should().Be(TimeSpan.FromSeconds(300));
        options.RequestsPerSecond.Should().Be(25);
    }

    [Theory]
    [InlineData("", "ApiKey is required")]
    [InlineData("pk_test_123", "ApiKey must be a secret key")]
    public void Validate_ApiKey_NamesTheSetting(string key, string expected)
    {
        Errors(o => o.ApiKey = key).Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Fact]
    public void Validate_EachWrongSetting_IsNamed()
    {
        var errors = Errors(o =>
        {
            o.ApiVersion = "latest";
            o.WebhookSecret = "secret";
            o.WebhookTolerance = TimeSpan.Zero;
            o.BaseAddress = new Uri("/relative", UriKind.Relative);
            o.RequestsPerSecond = 0;
        });

        errors.Should().HaveCount(5);
        errors.Should().Contain(e => e.Contains("ApiVersion", StringComparison.Ordinal));
        errors.Should().Contain(e => e.Contains("WebhookSecret", StringComparison.Ordinal) && e.Contains("whsec_", StringComparison.Ordinal));
        errors.Should().Contain(e => e.Contains("WebhookTolerance", StringComparison.Ordinal));
        errors.Should().Contain(e => e.Contains("BaseAddress", StringComparison.Ordinal));
        errors.Should().Contain(e => e.Contains("RequestsPerSecond", StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_NeverShowsSecrets()
    {
        var options = new StripeOptions { ApiKey = StripeHost.ApiKey, WebhookSecret = StripeHost.WebhookSecret };

        options.ToString().Should().NotContain(StripeHost.ApiKey).And.NotContain(StripeHost.WebhookSecret).And.Contain(StripeOptions.DefaultApiVersion);
    }

    [Fact]
    public void Start_WithAMissingKey_FailsNamingIt()
    {
        using var services = StripeHost.Build(TimeProvider.System, o => o.ApiKey = string.Empty);

        var start = () => services.GetRequiredService<IOptions<StripeOptions>>().Value;

        start.Should().Throw<OptionsValidationException>().WithMessage("*ApiKey is required*");
    }

    [Fact]
    public void AddStripe_Twice_Throws()
    {
        var services = new ServiceCollection();
        var builder = services.AddIntegrations().AddStripe(o => o.ApiKey = StripeHost.ApiKey);

        var again = () => builder.AddStripe(o => o.ApiKey = StripeHost.ApiKey);

        again.Should().Throw<InvalidOperationException>().WithMessage("*AddStripe once*");
    }

    private static List<string> Errors(Action<StripeOptions> change)
    {
        var options = new StripeOptions { ApiKey = StripeHost.ApiKey };
        change(options);
        return [.. options.Validate()];
    }
}
