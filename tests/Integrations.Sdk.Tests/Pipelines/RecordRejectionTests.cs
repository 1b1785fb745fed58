using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;

namespace Integrations.Sdk.Tests.Pipelines;

/// <summary>A step refuses a record explicitly: dead-lettered at once with the step's reason, never retried.</summary>
public sealed class RecordRejectionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reject_DeadLettersTheRecordAtOnceWithTheReason(bool viaContext)
    {
        var checks = 0;
        await using var f = new SyncFixture(SyncFixture.Orders(3), (s, _) => s
            .Step("check", WriteSafety.ReadOnly, (o, step, _) =>
            {
                Interlocked.Increment(ref checks);
                if (o.Id == 2)
                {
                    if (viaContext)
                    {
                        step.Reject("Total 20 is below the 100 this sync serves");
                    }

                    throw new RecordRejectedException("Total 20 is below the 100 this sync serves");
                }

                return Task.FromResult(o.Id);
            })
            .Step("invoice", WriteSafety.IdempotencyKey, (o, step, ct) => step.Get<FakeLedger>().CreateInvoiceAsync(step.IdempotencyKey, "c", o.Total, ct)));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(2);
        report.Summary.DeadLettered.Should().Be(1);
        checks.Should().Be(3, "a rejected record is not retried (the sync allows 3 attempts)");
        f.Ledger.Invoices.Should().Be(2, "the steps after the refusal do not run");
        var record = report.Records.Should().ContainSingle(r => r.RecordKey == "shop:order:2").Subject;
        record.Outcome.Should().Be(RecordOutcome.DeadLettered);
        record.Reason.Should().Be("step 'check' rejected the record: Total 20 is below the 100 this sync serves");
        var entry = (await f.Get<IDeadLetterStore>().ListAsync()).Should().ContainSingle().Subject;
        entry.Reason.Should().Be(record.Reason);
        entry.Step.Should().Be("check");
        entry.ErrorType.Should().Be(nameof(RecordRejectedException));
        entry.Kind.Should().Be(DeadLetterKind.Failed);
        entry.Attempts.Should().Be(1);
        entry.Payload.Should().Contain("buyer2@example.com");
    }

    [Fact]
    public async Task ArgumentException_StillDeadLettersWithoutRetry()
    {
        var checks = 0;
        await using var f = new SyncFixture(SyncFixture.Orders(1), (s, _) => s
            .Step<int>("check", WriteSafety.ReadOnly, (_, _, _) =>
            {
                Interlocked.Increment(ref checks);
                throw new ArgumentException("Email is not an address");
            }));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.DeadLettered.Should().Be(1);
        checks.Should().Be(1);
        report.Records.Single().Reason.Should().Be("step 'check' failed after 1 attempt(s): Email is not an address");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void RecordRejectedException_WithoutAReason_Throws(string reason)
    {
        var create = () => new RecordRejectedException(reason);

        create.Should().Throw<ArgumentException>().WithParameterName("reason");
    }
}
