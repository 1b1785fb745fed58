using System.Reflection;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.HubSpot.Tests;

public sealed class HubSpotOptionsTests
{
    [Fact]
    public void MissingAccessToken_FailsNamingTheSetting()
    {
        using var services = HubSpotHost.Build(TimeProvider.System, _ => { });

        var act = () => services.GetRequiredService<IOptions<HubSpotOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*AccessToken*");
    }

    [Fact]
    public void RelativeBaseAddressAndNonPositiveTolerance_FailNamingTheSettings()
    {
        using var services = HubSpotHost.Build(TimeProvider.System, o =>
        {
            o.AccessToken = "pat-token";
            o.BaseAddress = new Uri("/api", UriKind.Relative);
            o.WebhookTolerance = TimeSpan.Zero;
        });

        var act = () => services.GetRequiredService<IOptions<HubSpotOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("BaseAddress")).And.Contain(f => f.Contains("WebhookTolerance"));
    }

    [Fact]
    public void SearchIndexLag_IsWhatTheTaskOperationDeclares_AndANegativeOneFailsNamingIt()
    {
        using var tuned = HubSpotHost.Build(TimeProvider.System, o =>
        {
            o.AccessToken = "pat-token";
            o.SearchIndexLag = TimeSpan.FromSeconds(30);
        });
        using var negative = HubSpotHost.Build(TimeProvider.System, o =>
        {
            o.AccessToken = "pat-token";
            o.SearchIndexLag = TimeSpan.FromSeconds(-1);
        });

        tuned.GetRequiredService<HubSpotConnector>().CreateTaskForContact.FindableAfter.Should().Be(TimeSpan.FromSeconds(30));
        var act = () => negative.GetRequiredService<IOptions<HubSpotOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*SearchIndexLag*");
    }

    [Fact]
    public void ExtraDealProperties_ABadName_FailsNamingTheSetting()
    {
        using var services = HubSpotHost.Build(TimeProvider.System, o =>
        {
            o.AccessToken = "pat-token";
            o.ExtraDealProperties = ["deal_source", "a,b"];
        });

        var act = () => services.GetRequiredService<IOptions<HubSpotOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("ExtraDealProperties").And.Contain("'a,b'");
    }

    [Fact]
    public void Defaults_AreHubSpotsHostBearerAuthAndThe190Per10SecondsBudget()
    {
        using var services = HubSpotHost.Build(TimeProvider.System, o => o.AccessToken = "pat-na1-secret-token");

        var options = services.GetRequiredService<IOptions<HubSpotOptions>>().Value;
        var http = services.GetRequiredService<IOptionsMonitor<ConnectorHttpOptions>>().Get("hubspot");

        options.ResolveBaseAddress().Should().Be(new Uri("https://api.hubapi.com/"));
        options.WebhookTolerance.Should().Be(TimeSpan.FromMinutes(5));
        options.SearchIndexLag.Should().Be(TimeSpan.FromSeconds(10));
        services.GetRequiredService<HubSpotConnector>().CreateTaskForContact.FindableAfter.Should().Be(TimeSpan.FromSeconds(10));
        options.ToString().Should().NotContain("pat-na1-secret-token");
        http.BaseAddress.Should().Be(new Uri("https://api.hubapi.com/"));
        http.RateLimit.PermitsPerWindow.Should().Be(190);
        http.RateLimit.Window.Should().Be(TimeSpan.FromSeconds(10));
        http.Signals.Should().BeOfType<HubSpotSignalReader>();
        http.Auth!.ToString().Should().Contain("Authorization").And.NotContain("pat-na1-secret-token");
    }

    [Fact]
    public void Registration_ExposesTheConnectorAndTheWebhookSource_Once()
    {
        using var services = HubSpotHost.Build(TimeProvider.System, o => o.AccessToken = "pat-token");

        var connector = services.GetRequiredService<HubSpotConnector>();
        services.GetRequiredService<HubSpotConnector>().Should().BeSameAs(connector);
        services.GetServices<IWebhookSource>().Should().ContainSingle(s => s.Name == "hubspot")
            .Which.Should().BeSameAs(services.GetRequiredService<HubSpotWebhookSource>());
        var again = () => new ServiceCollection().AddIntegrations().AddHubSpot(_ => { }).AddHubSpot(_ => { });
        again.Should().Throw<InvalidOperationException>().WithMessage("HubSpot is already registered*");
    }

    [Fact]
    public void PublicTypes_LiveInTheConnectorsNamespacesOrTheDependencyInjectionEntry()
    {
        typeof(HubSpotConnector).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is not ("Integrations.Sdk.HubSpot" or "Integrations.Sdk.HubSpot.Models" or "Microsoft.Extensions.DependencyInjection"))
            .Select(t => t.FullName)
            .Should().BeEmpty();
        typeof(Testing.HubSpot.HubSpotSimulator).Assembly.GetReferencedAssemblies().Select(a => a.Name)
            .Should().NotContain("Integrations.Sdk.HubSpot", "the simulator speaks HTTP only");
        typeof(HubSpotConnector).GetConstructors(BindingFlags.Public | BindingFlags.Instance).Should().BeEmpty();
    }
}
