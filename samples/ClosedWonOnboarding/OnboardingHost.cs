using Integrations.Sdk.HubSpot;
using Integrations.Sdk.MailchimpMarketing;
using Integrations.Sdk.Salesforce;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClosedWonOnboarding;

/// <summary>Builds the sample's host: SQLite state, the CRM and Mailchimp Marketing connectors on the simulators, and the sync.</summary>
public static class OnboardingHost
{
    /// <summary>Creates the host builder.</summary>
    /// <param name="statePath">The SQLite state file.</param>
    /// <param name="platforms">The started simulators.</param>
    /// <param name="concurrency">Records processed at once.</param>
    public static HostApplicationBuilder CreateBuilder(string statePath, OfflinePlatforms platforms, int concurrency = 8)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Error).AddFilter("Polly", LogLevel.None).AddFilter("Integrations.Sdk", LogLevel.None);
        var integrations = builder.Services.AddIntegrations().UseSqliteState(statePath);
        if (platforms.Crm == HubSpotConnector.ConnectorName)
        {
            var hubSpot = platforms.HubSpot;
            integrations.AddHubSpot(o =>
            {
                o.AccessToken = hubSpot.AccessToken;
                o.ClientSecret = hubSpot.ClientSecret;
                o.BaseAddress = hubSpot.BaseAddress;
            });
        }
        else
        {
            var salesforce = platforms.Salesforce;
            integrations.AddSalesforce(o =>
            {
                o.Flow = SalesforceAuthFlow.ClientCredentials;
                o.LoginUrl = salesforce.BaseAddress; // its token endpoint answers its own address as instance_url
                o.ClientId = OfflinePlatforms.SalesforceClientId;
                o.ClientSecret = OfflinePlatforms.SalesforceClientSecret;
            });
        }

        var mailchimp = platforms.Mailchimp;
        integrations.AddMailchimpMarketing(o =>
        {
            o.ApiKey = OfflinePlatforms.MailchimpApiKey;
            o.BaseAddress = mailchimp.BaseAddress;
        });

        foreach (var connector in new[] { platforms.Crm, MailchimpMarketingConnector.ConnectorName })
        {
            builder.Services.PostConfigure<ConnectorHttpOptions>(connector, o =>
            {
                // Simulated faults answer fast: give up on a silent request after a second and retry sooner.
                o.AttemptTimeout = TimeSpan.FromSeconds(1);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                o.MaxRetryAttempts = 6;
            });
        }

        integrations.AddClosedWonOnboarding(platforms.Crm, OfflinePlatforms.Settings, concurrency: concurrency);
        return builder;
    }
}
