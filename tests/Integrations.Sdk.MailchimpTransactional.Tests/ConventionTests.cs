using Integrations.Sdk.Connectors;
using Integrations.Sdk.MailchimpTransactional.Tests.Support;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.MailchimpTransactional.Tests;

/// <summary>Guards the public surface, the options and the registration of the Mailchimp Transactional package.</summary>
public sealed class ConventionTests
{
    [Fact]
    public void PublicTypes_LiveInTheConnectorsNamespacesOrTheDependencyInjectionEntry()
    {
        typeof(MailchimpTransactionalConnector).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is not ("Integrations.Sdk.MailchimpTransactional" or "Integrations.Sdk.MailchimpTransactional.Models" or "Microsoft.Extensions.DependencyInjection"))
            .Select(t => t.FullName)
            .Should().BeEmpty();
    }

    [Fact]
    public void Simulator_DoesNotReferenceTheConnector()
    {
        typeof(MailchimpTransactionalSimulator).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name)
            .Should().NotContain(typeof(MailchimpTransactionalConnector).Assembly.GetName().Name);
    }

    [Fact]
    public void SendTemplate_IsUnsafe_AndTheConnectorIsASingleton()
    {
        using var services = MandrillHost.Build(TimeProvider.System, o => o.ApiKey = MandrillHost.ApiKey);
        var connector = services.GetRequiredService<MailchimpTransactionalConnector>();

        connector.SendTemplate.Safety.Should().Be(WriteSafety.Unsafe);
        services.GetRequiredService<MailchimpTransactionalConnector>().Should().BeSameAs(connector);
        services.GetRequiredService<IOptions<MailchimpTransactionalOptions>>().Value.ResolveBaseAddress()
            .Should().Be(new Uri("https://mandrillapp.com/api/1.0/"));
    }

    [Theory]
    [InlineData("", null, null, "ApiKey")]
    [InlineData("key-1234", "relative/path", null, "BaseAddress")]
    [InlineData("key-1234", null, "not-an-address", "FromEmail")]
    public void InvalidOptions_FailAtStartNamingTheSetting(string apiKey, string? baseAddress, string? fromEmail, string setting)
    {
        using var services = MandrillHost.Build(TimeProvider.System, o =>
        {
            o.ApiKey = apiKey;
            o.BaseAddress = baseAddress is null ? null : new Uri(baseAddress, UriKind.RelativeOrAbsolute);
            o.FromEmail = fromEmail;
        });

        var resolve = () => services.GetRequiredService<IOptions<MailchimpTransactionalOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(setting);
    }

    [Fact]
    public void Options_ToString_HidesTheKey()
    {
        var options = new MailchimpTransactionalOptions { ApiKey = MandrillHost.ApiKey };

        options.ToString().Should().NotContain(MandrillHost.ApiKey).And.Contain("***");
    }

    [Fact]
    public void AddMailchimpTransactional_Twice_Throws()
    {
        var services = new ServiceCollection();
        var builder = services.AddIntegrations().AddMailchimpTransactional(o => o.ApiKey = "key-1234");

        var again = () => builder.AddMailchimpTransactional(o => o.ApiKey = "key-1234");

        again.Should().Throw<InvalidOperationException>().WithMessage("*once*");
    }
}
