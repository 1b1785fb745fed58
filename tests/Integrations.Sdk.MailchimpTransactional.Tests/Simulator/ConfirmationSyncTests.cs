using Integrations.Sdk.MailchimpTransactional.Models;
using Integrations.Sdk.MailchimpTransactional.Tests.Support;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.MailchimpTransactional.Tests.Simulator;

/// <summary>Order confirmations as a step of a sync: an email whose answer is lost is never sent twice by the SDK.</summary>
public sealed class ConfirmationSyncTests : IAsyncLifetime
{
    private const string Step = "confirmation";
    private readonly MailchimpTransactionalSimulator _simulator = new();
    private ServiceProvider _services = null!;

    public sealed record ShopOrder(string Number, string Email, decimal Total);

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _simulator.AddTemplate("order-confirmation");
        _services = MandrillHost.Build(_simulator, TimeProvider.System, i => i.AddSync<ShopOrder>(MandrillHost.Sync, sync => sync
            .FromEvents()
            .Key(o => "shop:order:" + o.Number)
            .WithStepRetries(3, TimeSpan.Zero)
            .Step(Step, sp => sp.GetRequiredService<MailchimpTransactionalConnector>().SendTemplate, (o, _) => new TemplateEmail
            {
                TemplateName = "order-confirmation",
                To = [new EmailRecipient { Email = o.Email }],
                MergeVars = new Dictionary<string, string?> { ["ORDER"] = o.Number, ["TOTAL"] = o.Total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) },
            })));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private ISyncRunner Runner => _services.GetRequiredService<ISyncRunner>();

    [Fact]
    public async Task CommitThenDrop_EndsAmbiguous_SendsExactlyOnce_AndARerunDoesNotResend()
    {
        ShopOrder[] orders = [new("1001", "ada@example.com", 42m)];
        _simulator.Faults.Add(MailchimpTransactionalSimulator.SendTemplateEndpoint, FaultKind.CommitThenDrop);

        var first = await Runner.ProcessAsync(MandrillHost.Sync, orders);
        var rerun = await Runner.ProcessAsync(MandrillHost.Sync, orders);

        first.Summary.Ambiguous.Should().Be(1, first.ToString());
        first.Records.Single().Should().Match<RecordResult>(r => r.Outcome == RecordOutcome.Ambiguous && r.Step == Step);
        rerun.Summary.Ambiguous.Should().Be(1, "an ambiguous record waits for a person, it is not resent");
        _simulator.Sent.Should().ContainSingle("the email went out once, and only once");
        _simulator.Duplicates.Should().BeEmpty();
        var key = IdempotencyKeys.Derive(MandrillHost.Sync, "shop:order:1001", Step, 0);
        _simulator.FindByIntegrationsKey(key).Should().ContainSingle("the reviewer finds the message by metadata.integrations_key");

        // The reviewer found it in the log: the write already happened.
        var entry = (await _services.GetRequiredService<IDeadLetterStore>().ListAsync()).Single();
        entry.Kind.Should().Be(DeadLetterKind.Ambiguous);
        entry.Reason.Should().NotContain(_simulator.ApiKey);
        first.ToString().Should().NotContain(_simulator.ApiKey);
        var replay = await Runner.ReplayAsync(entry.Id, resolution: AmbiguousResolution.AlreadyApplied);
        var after = await Runner.ProcessAsync(MandrillHost.Sync, orders);

        replay.Summary.Completed.Should().Be(1, replay.ToString());
        after.Summary.Skipped.Should().Be(1);
        _simulator.Sent.Should().ContainSingle();
    }

    [Fact]
    public async Task LostBeforeSending_EndsAmbiguous_AndSendAgainSendsOnce()
    {
        ShopOrder[] orders = [new("1002", "bob@example.com", 10m)];
        _simulator.Faults.Add(MailchimpTransactionalSimulator.SendTemplateEndpoint, FaultKind.ConnectionReset);

        var first = await Runner.ProcessAsync(MandrillHost.Sync, orders);

        first.Summary.Ambiguous.Should().Be(1, first.ToString());
        _simulator.Sent.Should().BeEmpty();
        _simulator.FindByIntegrationsKey(IdempotencyKeys.Derive(MandrillHost.Sync, "shop:order:1002", Step, 0)).Should().BeEmpty();

        // The reviewer found nothing in the log: send it again.
        var entry = (await _services.GetRequiredService<IDeadLetterStore>().ListAsync()).Single();
        var replay = await Runner.ReplayAsync(entry.Id, resolution: AmbiguousResolution.SendAgain);

        replay.Summary.Completed.Should().Be(1, replay.ToString());
        _simulator.Sent.Should().ContainSingle().Which.To.Should().Be("bob@example.com");
    }

    [Fact]
    public async Task RejectedRecipient_IsDeadLetteredNotAmbiguous()
    {
        _simulator.AddReject("gone@example.com", "hard-bounce");

        var report = await Runner.ProcessAsync(MandrillHost.Sync, [new ShopOrder("1003", "gone@example.com", 5m)]);

        report.Summary.DeadLettered.Should().Be(1, report.ToString());
        report.Records.Single().Reason.Should().Contain("hard-bounce");
        report.Records.Single().Attempts.Should().Be(1, "a refusal is final");
        _simulator.Sent.Should().BeEmpty();
    }
}
