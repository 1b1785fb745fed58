using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Integrations.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Tests;

/// <summary>Options of the core are validated when the host starts; every message names the setting at fault.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public async Task HostStart_WithDefaultOptions_Starts()
    {
        using var host = BuildHost(_ => { }, _ => { });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("RetryBaseDelay", "*fake: *ConnectorHttpOptions.RetryBaseDelay*")]
    [InlineData("RetryMaxDelay", "*fake: *ConnectorHttpOptions.RetryMaxDelay*")]
    [InlineData("MaxRetryAttempts", "*fake: *ConnectorHttpOptions.MaxRetryAttempts*")]
    [InlineData("MaxRetryAfter", "*fake: *ConnectorHttpOptions.MaxRetryAfter*")]
    [InlineData("AttemptTimeout", "*fake: *ConnectorHttpOptions.AttemptTimeout*")]
    [InlineData("TotalTimeout", "*fake: *ConnectorHttpOptions.TotalTimeout*")]
    [InlineData("CircuitFailureRatio", "*fake: *ConnectorHttpOptions.CircuitFailureRatio*")]
    [InlineData("CircuitMinimumThroughput", "*fake: *ConnectorHttpOptions.CircuitMinimumThroughput*")]
    [InlineData("CircuitSamplingDuration", "*fake: *ConnectorHttpOptions.CircuitSamplingDuration*")]
    [InlineData("CircuitBreakDuration", "*fake: *ConnectorHttpOptions.CircuitBreakDuration*")]
    [InlineData("RateLimit", "*fake: *ConnectorHttpOptions.RateLimit*")]
    [InlineData("RateLimit.PermitsPerWindow", "*fake: *ConnectorHttpOptions.RateLimit.PermitsPerWindow*")]
    [InlineData("RateLimit.Window", "*fake: *ConnectorHttpOptions.RateLimit.Window*")]
    [InlineData("AdditionalRateLimits[0].Window", "*fake: *ConnectorHttpOptions.AdditionalRateLimits[0].Window*")]
    [InlineData("AdditionalRateLimits[0]", "*fake: *ConnectorHttpOptions.AdditionalRateLimits[0] is null*")]
    [InlineData("AppRateLimit.MaxConcurrency", "*fake: *ConnectorHttpOptions.AppRateLimit.MaxConcurrency*")]
    [InlineData("BaseAddress", "*fake: *ConnectorHttpOptions.BaseAddress*")]
    [InlineData("BaseAddress relative", "*fake: *ConnectorHttpOptions.BaseAddress must be an absolute URI*")]
    [InlineData("IdempotencyHeaders", "*fake: *ConnectorHttpOptions.IdempotencyHeaders*")]
    public async Task HostStart_WithAnInvalidConnectorSetting_FailsNamingIt(string setting, string message)
    {
        using var host = BuildHost(o => Break(o, setting), _ => { });

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage(message);
    }

    [Theory]
    [InlineData("RetryMaxDelay", "*ConnectorHttpOptions.RetryMaxDelay (00:00:01) must not be shorter than ConnectorHttpOptions.RetryBaseDelay (00:00:05)*")]
    [InlineData("AttemptTimeout", "*ConnectorHttpOptions.AttemptTimeout (00:10:00) must not be longer than ConnectorHttpOptions.TotalTimeout (00:05:00)*")]
    public async Task HostStart_WithConnectorSettingsThatContradictEachOther_FailsNamingBoth(string setting, string message)
    {
        using var host = BuildHost(
            o =>
            {
                if (setting == "RetryMaxDelay")
                {
                    o.RetryBaseDelay = TimeSpan.FromSeconds(5);
                    o.RetryMaxDelay = TimeSpan.FromSeconds(1);
                }
                else
                {
                    o.AttemptTimeout = TimeSpan.FromMinutes(10);
                }
            },
            _ => { });

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage(message);
    }

    [Fact]
    public async Task HostStart_WithSeveralInvalidConnectorSettings_ReportsEach()
    {
        using var host = BuildHost(
            o =>
            {
                o.MaxRetryAttempts = -1;
                o.RetryBaseDelay = TimeSpan.FromSeconds(-1);
                o.CircuitMinimumThroughput = 0;
            },
            _ => { });

        var act = () => host.StartAsync();

        var failures = (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures;
        failures.Should().HaveCount(3).And.OnlyContain(f => f.StartsWith("fake: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_WithANegativeOAuth2RefreshMargin_FailsNamingIt()
    {
        using var host = BuildHost(
            o => o.Auth = new OAuth2Auth
            {
                TokenEndpoint = new Uri("http://127.0.0.1:1/token"),
                ClientId = "id",
                ClientSecret = "secret",
                RefreshBeforeExpiry = TimeSpan.FromSeconds(-1),
            },
            _ => { });

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage("fake: OAuth2 RefreshBeforeExpiry*must not be negative*");
    }

    [Theory]
    [InlineData("Concurrency", "*WebhookOptions.Concurrency*")]
    [InlineData("MaxBodyBytes", "*WebhookOptions.MaxBodyBytes*")]
    [InlineData("MaxAttempts", "*WebhookOptions.MaxAttempts*")]
    [InlineData("Lease", "*WebhookOptions.Lease*")]
    [InlineData("RetryBaseDelay", "*WebhookOptions.RetryBaseDelay*")]
    [InlineData("RetryMaxDelay", "*WebhookOptions.RetryMaxDelay (00:00:01) must not be shorter than WebhookOptions.RetryBaseDelay (00:00:05)*")]
    [InlineData("PollInterval", "*WebhookOptions.PollInterval*")]
    public async Task HostStart_WithAnInvalidWebhookSetting_FailsNamingIt(string setting, string message)
    {
        using var host = BuildHost(_ => { }, o =>
        {
            switch (setting)
            {
                case "Concurrency": o.Concurrency = 0; break;
                case "MaxBodyBytes": o.MaxBodyBytes = 0; break;
                case "MaxAttempts": o.MaxAttempts = 1001; break;
                case "Lease": o.Lease = TimeSpan.Zero; break;
                case "RetryBaseDelay": o.RetryBaseDelay = TimeSpan.FromSeconds(-1); break;
                case "RetryMaxDelay": o.RetryMaxDelay = TimeSpan.FromSeconds(1); break;
                case "PollInterval": o.PollInterval = TimeSpan.Zero; break;
                default: throw new ArgumentOutOfRangeException(nameof(setting), setting, null);
            }
        });

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage(message);
    }

    private static IHost BuildHost(Action<ConnectorHttpOptions> connector, Action<WebhookOptions> webhooks)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations(i =>
        {
            i.AddConnectorClient<IFakeApi>("fake", (_, o) =>
            {
                o.BaseAddress = new Uri("http://127.0.0.1:1/");
                connector(o);
            });
            i.ConfigureWebhooks(webhooks);
        });
        return builder.Build();
    }

    private static void Break(ConnectorHttpOptions o, string setting)
    {
        switch (setting)
        {
            case "RetryBaseDelay": o.RetryBaseDelay = TimeSpan.FromMilliseconds(-1); break;
            case "RetryMaxDelay": o.RetryMaxDelay = TimeSpan.FromDays(2); break;
            case "MaxRetryAttempts": o.MaxRetryAttempts = -1; break;
            case "MaxRetryAfter": o.MaxRetryAfter = TimeSpan.FromSeconds(-1); break;
            case "AttemptTimeout": o.AttemptTimeout = TimeSpan.Zero; break;
            case "TotalTimeout": o.TotalTimeout = TimeSpan.FromDays(2); break;
            case "CircuitFailureRatio": o.CircuitFailureRatio = 0; break;
            case "CircuitMinimumThroughput": o.CircuitMinimumThroughput = 1; break;
            case "CircuitSamplingDuration": o.CircuitSamplingDuration = TimeSpan.FromMilliseconds(100); break;
            case "CircuitBreakDuration": o.CircuitBreakDuration = TimeSpan.Zero; break;
            case "RateLimit": o.RateLimit = null!; break;
            case "RateLimit.PermitsPerWindow": o.RateLimit.PermitsPerWindow = 0; break;
            case "RateLimit.Window": o.RateLimit.Window = TimeSpan.Zero; break;
            case "AdditionalRateLimits[0].Window": o.AdditionalRateLimits.Add(new RateLimitOptions { Window = TimeSpan.FromSeconds(-1) }); break;
            case "AdditionalRateLimits[0]": o.AdditionalRateLimits.Add(null!); break;
            case "AppRateLimit.MaxConcurrency": o.AppRateLimit = new RateLimitOptions { MaxConcurrency = -1 }; break;
            case "BaseAddress": o.BaseAddress = null; break;
            case "BaseAddress relative": o.BaseAddress = new Uri("/api", UriKind.Relative); break;
            case "IdempotencyHeaders": o.IdempotencyHeaders.Add(" "); break;
            default: throw new ArgumentOutOfRangeException(nameof(setting), setting, null);
        }
    }
}
