using System.Net;
using Integrations.Sdk.MailchimpTransactional.Models;
using Integrations.Sdk.MailchimpTransactional.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.MailchimpTransactional.Tests.Simulator;

/// <summary>The connector against the simulator: what Mandrill would send, refuse and record.</summary>
public sealed class MailchimpTransactionalSimulatorTests : IAsyncLifetime
{
    private readonly MailchimpTransactionalSimulator _simulator = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _simulator.AddTemplate("order-confirmation");
        _services = MandrillHost.Build(_simulator, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private MailchimpTransactionalConnector Connector => _services.GetRequiredService<MailchimpTransactionalConnector>();

    [Fact]
    public async Task SendTemplate_RecordsTheMessageWithItsMergeVarsAndIntegrationsKey()
    {
        var write = MandrillHost.Write();

        var result = await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), write);

        var sent = _simulator.Sent.Should().ContainSingle().Subject;
        sent.TemplateName.Should().Be("order-confirmation");
        sent.To.Should().Be("ada@example.com");
        sent.ToName.Should().Be("Ada Lovelace");
        sent.MergeVars.Should().Equal(new Dictionary<string, string?> { ["ORDER"] = "1001", ["TOTAL"] = "42.00" });
        sent.Metadata.Should().Contain("order", "1001");
        sent.IntegrationsKey.Should().Be(write.IdempotencyKey);
        sent.Tags.Should().Equal("order-confirmation");
        result.Recipients.Single().MessageId.Should().Be(sent.Id);
        _simulator.FindByIntegrationsKey(write.IdempotencyKey).Should().ContainSingle();
        _simulator.Duplicates.Should().BeEmpty();
    }

    [Fact]
    public async Task SendTemplate_WrongKey_IsInvalidKeyAndSendsNothing()
    {
        await using var services = MandrillHost.Build(TimeProvider.System, o =>
        {
            o.ApiKey = "md-revoked-key-9876";
            o.BaseAddress = _simulator.ApiBaseAddress;
        });

        var send = () => services.GetRequiredService<MailchimpTransactionalConnector>().SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        error.ErrorCode.Should().Be("Invalid_Key");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        error.Message.Should().NotContain("md-revoked-key-9876");
        _simulator.Sent.Should().BeEmpty();
        _simulator.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task SendTemplate_UnknownTemplate_IsUnknownTemplate()
    {
        var send = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(template: "welcome"), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("Unknown_Template");
        error.Message.Should().Contain("welcome");
        error.IsRetryable.Should().BeFalse();
        _simulator.Sent.Should().BeEmpty();
    }

    [Fact]
    public async Task SendTemplate_RejectedRecipient_FailsNamingTheReasonAndSendsNothing()
    {
        _simulator.AddReject("ada@example.com", "spam");

        var send = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("spam");
        error.Message.Should().Contain("rejected").And.Contain("spam");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        _simulator.Sent.Should().BeEmpty();
    }

    [Fact]
    public async Task InjectedServerError_IsNotResent_AndMayHaveBeenApplied()
    {
        _simulator.Faults.Add(MailchimpTransactionalSimulator.SendTemplateEndpoint, FaultKind.ServerError);

        var send = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("GeneralError");
        error.MayHaveBeenApplied.Should().BeTrue();
        _simulator.RequestCount.Should().Be(1, "an unsafe send is never resent by the transport");
    }

    [Fact]
    public async Task SameWriteSentTwice_ShowsAsADuplicate()
    {
        var write = MandrillHost.Write();

        await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), write);
        await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), write);
        await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write("shop:order:1002"));

        _simulator.Sent.Should().HaveCount(3, "Mandrill has no idempotency key");
        _simulator.Duplicates.Should().ContainSingle().Which.IntegrationsKey.Should().Be(write.IdempotencyKey);
    }

    [Fact]
    public async Task SaveAndLoad_KeepTemplatesRejectsAndSentMessages()
    {
        _simulator.AddReject("bounced@example.com", "hard-bounce");
        await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());
        var path = Path.Combine(Path.GetTempPath(), $"mandrill-sim-{Guid.NewGuid():N}.json");
        try
        {
            await _simulator.SaveAsync(path);
            await using var second = new MailchimpTransactionalSimulator();
            await second.LoadAsync(path);

            second.Templates.Should().Equal("order-confirmation");
            second.Sent.Should().BeEquivalentTo(_simulator.Sent);
            await second.StartAsync();
            await using var services = MandrillHost.Build(second, TimeProvider.System);
            var send = () => services.GetRequiredService<MailchimpTransactionalConnector>().SendTemplate.ExecuteAsync(MandrillHost.Email("bounced@example.com"), MandrillHost.Write());
            (await send.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("hard-bounce");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_AnotherFile_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mandrill-sim-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"format":"something else","version":1}""");
        try
        {
            var load = () => _simulator.LoadAsync(path);

            await load.Should().ThrowAsync<InvalidDataException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TwoRecipients_OneRejected_SendsToTheOtherAndSaysItMayHaveBeenApplied()
    {
        _simulator.AddReject("bob@example.com", "unsub");
        var email = MandrillHost.Email() with { To = [new EmailRecipient { Email = "ada@example.com" }, new EmailRecipient { Email = "bob@example.com" }] };

        var send = () => Connector.SendTemplate.ExecuteAsync(email, MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("unsub");
        error.MayHaveBeenApplied.Should().BeTrue();
        _simulator.Sent.Should().ContainSingle().Which.To.Should().Be("ada@example.com");
    }
}
