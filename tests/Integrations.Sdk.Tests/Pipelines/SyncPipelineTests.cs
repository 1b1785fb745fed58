using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Tests.Pipelines;

public sealed class SyncPipelineTests
{
    [Fact]
    public async Task Run_MixedRecords_ReportCountsAddUpToRecordsRead()
    {
        var orders = SyncFixture.Orders(10, i => i switch
        {
            2 or 3 => new Order(i, $"b{i}@example.com", 5, Paid: false, UpdatedAt: i),
            4 => new Order(i, null, 5, Paid: true, UpdatedAt: i),
            _ => new Order(i, $"b{i}@example.com", 5, Paid: true, UpdatedAt: i),
        });
        await using var f = new SyncFixture(orders);

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        var s = report.Summary;
        s.Status.Should().Be(RunStatus.Succeeded);
        s.Read.Should().Be(10);
        (s.Completed + s.Skipped + s.Filtered + s.DeadLettered + s.Ambiguous).Should().Be(s.Read);
        s.Completed.Should().Be(7);
        s.Filtered.Should().Be(2);
        s.DeadLettered.Should().Be(1);
        report.Records.Should().ContainSingle(r => r.RecordKey == "shop:order:4")
            .Which.Reason.Should().Contain("Email").And.Contain("required");
        report.ToString().Should().Be("read=10 completed=7 skipped=0 filtered=2 dead-lettered=1 ambiguous=0");
        f.Ledger.Invoices.Should().Be(7);
    }

    [Fact]
    public async Task Rerun_OfAFinishedSync_MakesZeroWrites()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(20));
        var first = await f.Runner.RunAsync(SyncFixture.Sync);
        var callsAfterFirst = f.Ledger.Calls;

        var second = await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        first.Summary.Completed.Should().Be(20);
        second.Summary.Read.Should().Be(20);
        second.Summary.Skipped.Should().Be(20);
        second.Summary.Completed.Should().Be(0);
        f.Ledger.Calls.Should().Be(callsAfterFirst, "a rerun reuses the step memo and writes nothing");
        f.Ledger.Invoices.Should().Be(20);
    }

    [Fact]
    public async Task IncrementalRun_ResumesAfterTheCheckpoint()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(5));
        await f.Runner.RunAsync(SyncFixture.Sync);
        f.Source.Orders.Add(new Order(6, "new@example.com", 60, true, 6));

        var second = await f.Runner.RunAsync(SyncFixture.Sync);

        f.Source.CheckpointsAsked.Should().Equal(null, "5");
        second.Summary.Read.Should().Be(1);
        second.Summary.Completed.Should().Be(1);
        (await f.Get<ICheckpointStore>().GetAsync(SyncFixture.Sync)).Should().Be("6");
    }

    [Fact]
    public async Task FailedStep_IsRetriedLaterWithoutRepeatingEarlierSteps()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));
        f.Ledger.Fail("invoice", () => FakeLedger.Refused("customer is on hold"));

        var first = await f.Runner.RunAsync(SyncFixture.Sync);
        first.Summary.DeadLettered.Should().Be(1);
        first.Records.Single().Step.Should().Be("invoice");
        first.Records.Single().Reason.Should().Contain("customer is on hold");
        f.Ledger.CallsByOperation["customer"].Should().Be(1);

        var second = await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        second.Summary.Completed.Should().Be(1);
        f.Ledger.CallsByOperation["customer"].Should().Be(1, "the completed customer step is not repeated");
        f.Ledger.Invoices.Should().Be(1);
        (await f.Get<IDeadLetterStore>().ListAsync()).Should().BeEmpty("the record went through, so its dead letter is resolved");
    }

    [Fact]
    public async Task TransientFailure_IsRetriedInTheSameRunWithoutRepeatingEarlierSteps()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));
        f.Ledger.Fail("invoice", FakeLedger.Unavailable, times: 2, applyFirst: true);

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(1);
        f.Ledger.CallsByOperation["invoice"].Should().Be(3);
        f.Ledger.CallsByOperation["customer"].Should().Be(1);
        f.Ledger.Invoices.Should().Be(1, "every attempt carried the same idempotency key");
        f.Ledger.InvoiceKeysSeen.Should().HaveCount(3);
        f.Ledger.InvoiceKeysSeen.Distinct().Should().ContainSingle()
            .Which.Should().Be(IdempotencyKeys.Derive(SyncFixture.Sync, "shop:order:1", "invoice", 0));
    }

    [Fact]
    public async Task RefusedWrite_GetsAFreshIdempotencyKeyOnTheNextAttempt()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));
        f.Ledger.Fail("invoice", () => FakeLedger.Refused());

        await f.Runner.RunAsync(SyncFixture.Sync);
        await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        f.Ledger.InvoiceKeysSeen.Should().Equal(
            IdempotencyKeys.Derive(SyncFixture.Sync, "shop:order:1", "invoice", 0),
            IdempotencyKeys.Derive(SyncFixture.Sync, "shop:order:1", "invoice", 1));
    }

    [Fact]
    public async Task ProcessAfterCrash_RepeatsTheInterruptedIdempotentStepWithTheSameKey_AndSkipsCompletedOnes()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));
        var memos = f.Get<IStepMemoStore>();
        var now = f.Time.GetUtcNow();
        // State left by a process killed during the invoice call, after the customer step completed.
        await memos.SaveAsync(new StepMemo(SyncFixture.Sync, "shop:order:1", "customer", StepState.Completed, "\"cust-crashed\"", 0, 1, now));
        await memos.SaveAsync(new StepMemo(SyncFixture.Sync, "shop:order:1", "invoice", StepState.Started, null, 0, 1, now));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(1);
        f.Ledger.CallsByOperation.Should().NotContainKey("customer");
        f.Ledger.InvoiceKeysSeen.Should().Equal(IdempotencyKeys.Derive(SyncFixture.Sync, "shop:order:1", "invoice", 0));
        (await memos.GetRecordAsync(SyncFixture.Sync, "shop:order:1")).Single(m => m.Step == "invoice").Attempts.Should().Be(2);
    }

    [Fact]
    public async Task UnsafeWrite_WithLostResponse_EndsAmbiguousAndIsNeverResent()
    {
        await using var f = new SyncFixture([new Order(1, "big@example.com", 5000, true, 1)]);
        f.Ledger.Fail("email", FakeLedger.ResponseLost, applyFirst: true);

        var first = await f.Runner.RunAsync(SyncFixture.Sync);
        var second = await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        first.Summary.Ambiguous.Should().Be(1);
        first.Records.Single().Step.Should().Be("notify");
        second.Summary.Ambiguous.Should().Be(1);
        f.Ledger.Emails.Should().ContainSingle("an unsafe write with unknown outcome is set aside, not resent");
        var entry = (await f.Get<IDeadLetterStore>().ListAsync()).Single();
        entry.Kind.Should().Be(DeadLetterKind.Ambiguous);
    }

    [Fact]
    public async Task AmbiguousRecord_ReplayedAsAlreadyApplied_CompletesWithoutResending()
    {
        await using var f = new SyncFixture([new Order(1, "big@example.com", 5000, true, 1)]);
        f.Ledger.Fail("email", FakeLedger.ResponseLost, applyFirst: true);
        await f.Runner.RunAsync(SyncFixture.Sync);
        var entry = (await f.Get<IDeadLetterStore>().ListAsync()).Single();

        var refuse = () => f.Runner.ReplayAsync(entry.Id);
        (await refuse.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*ambiguous*notify*");

        var replay = await f.Runner.ReplayAsync(entry.Id, resolution: AmbiguousResolution.AlreadyApplied);

        replay.Summary.Completed.Should().Be(1);
        f.Ledger.Emails.Should().ContainSingle();
        (await f.Get<IDeadLetterStore>().GetAsync(entry.Id)).Should().BeNull();
    }

    [Fact]
    public async Task UnsafeWrite_OptedIntoAtLeastOnce_IsResentAfterAmbiguousFailure()
    {
        await using var f = new SyncFixture(
            [new Order(1, "big@example.com", 5000, true, 1)],
            (s, _) => s.Map(SyncFixture.OrderToInvoice)
                .Step("notify", WriteSafety.Unsafe, (d, c, ct) => c.Get<FakeLedger>().SendEmailAsync(d.Email, ct), atLeastOnce: true));
        f.Ledger.Fail("email", FakeLedger.ResponseLost, applyFirst: true);

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(1);
        f.Ledger.Emails.Should().HaveCount(2);
    }

    [Fact]
    public async Task UnsafeWrite_InterruptedByACrash_EndsAmbiguousWithoutCallingThePlatform()
    {
        await using var f = new SyncFixture([new Order(1, "big@example.com", 5000, true, 1)]);
        await f.Get<IStepMemoStore>().SaveAsync(new StepMemo(SyncFixture.Sync, "shop:order:1", "notify", StepState.Started, null, 0, 1, f.Time.GetUtcNow()));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Ambiguous.Should().Be(1);
        f.Ledger.Emails.Should().BeEmpty();
    }

    [Fact]
    public async Task LookupThenCreate_AfterCommitThenDrop_FindsTheEntityInsteadOfCreatingTwice()
    {
        await using var f = new SyncFixture(
            SyncFixture.Orders(1),
            (s, _) => s.Map(SyncFixture.OrderToInvoice).Step(
                "customer",
                (d, c, ct) => c.Get<FakeLedger>().FindCustomerAsync(d.Email, ct),
                (d, c, ct) => c.Get<FakeLedger>().CreateCustomerNoDedupeAsync(d.Email, ct)));
        f.Ledger.Fail("create-customer", FakeLedger.ResponseLost, applyFirst: true);

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(1);
        f.Ledger.Customers.Should().Be(1);
        f.Ledger.CallsByOperation["create-customer"].Should().Be(1);
        f.Ledger.CallsByOperation["find-customer"].Should().Be(1);
    }

    [Fact]
    public async Task DeadLetterReplay_WithEditedPayload_CompletesTheFixedRecord()
    {
        await using var f = new SyncFixture([new Order(7, null, 70, true, 1)]);
        var first = await f.Runner.RunAsync(SyncFixture.Sync);
        first.Summary.DeadLettered.Should().Be(1);
        var entry = (await f.Get<IDeadLetterStore>().ListAsync()).Single();
        entry.Reason.Should().Contain("Email");
        entry.Payload.Should().Contain("\"id\":7");

        var fixedPayload = entry.Payload.Replace("\"email\":null", "\"email\":\"Fixed@Example.com\"", StringComparison.Ordinal);
        var replay = await f.Runner.ReplayAsync(entry.Id, fixedPayload);

        replay.Summary.Completed.Should().Be(1);
        f.Ledger.Invoices.Should().Be(1);
        f.Ledger.CallsByOperation["customer"].Should().Be(1);
        (await f.Get<IDeadLetterStore>().ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task RecordWhoseKeyCannotBeComputed_IsDeadLettered_AndReplayableOnceFixed()
    {
        await using var f = new SyncFixture([], (s, _) => SyncFixture.DefaultSteps(s.FromEvents().Key(o => o.Email!.Split('@')[0])));

        var first = await f.Runner.ProcessAsync(SyncFixture.Sync, [new Order(5, null, 50, true, 1)]);
        var entry = (await f.Get<IDeadLetterStore>().ListAsync()).Single();
        var replay = await f.Runner.ReplayAsync(entry.Id, entry.Payload.Replace("\"email\":null", "\"email\":\"five@example.com\"", StringComparison.Ordinal));

        first.Summary.DeadLettered.Should().Be(1);
        entry.RecordKey.Should().StartWith("unkeyed:");
        entry.Step.Should().Be("$key");
        replay.Summary.Completed.Should().Be(1);
        (await f.Get<IDeadLetterStore>().ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task DeadLetterReplay_WithAPayloadOfAnotherRecord_IsRefused()
    {
        await using var f = new SyncFixture([new Order(7, null, 70, true, 1)]);
        await f.Runner.RunAsync(SyncFixture.Sync);
        var entry = (await f.Get<IDeadLetterStore>().ListAsync()).Single();

        var act = () => f.Runner.ReplayAsync(entry.Id, entry.Payload.Replace("\"id\":7", "\"id\":8", StringComparison.Ordinal));
        var garbage = () => f.Runner.ReplayAsync(entry.Id, "{not json");

        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("*shop:order:8*");
        (await garbage.Should().ThrowAsync<ArgumentException>()).WithMessage("*not a valid Order*");
    }

    [Fact]
    public async Task DryRun_MakesNoWriteAndStoresNothing_ButReportsPlannedWrites()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(3, i => new Order(i, i == 3 ? null : $"b{i}@example.com", i == 1 ? 2000 : 10, true, i)));

        var report = await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { DryRun = true });

        f.Ledger.Calls.Should().Be(0);
        report.Summary.DryRun.Should().BeTrue();
        report.Summary.DeadLettered.Should().Be(1, "order 3 cannot be mapped");
        report.PlannedWrites.Select(w => (w.RecordKey, w.Step)).Should().BeEquivalentTo(new[]
        {
            ("shop:order:1", "customer"), ("shop:order:1", "invoice"), ("shop:order:1", "notify"),
            ("shop:order:2", "customer"), ("shop:order:2", "invoice"),
        });
        (await f.Get<IStepMemoStore>().GetRecordAsync(SyncFixture.Sync, "shop:order:1")).Should().BeEmpty();
        (await f.Get<IDeadLetterStore>().ListAsync()).Should().BeEmpty();
        (await f.Get<ICheckpointStore>().GetAsync(SyncFixture.Sync)).Should().BeNull();
        (await f.Get<IRunHistoryStore>().ListAsync(SyncFixture.Sync)).Should().BeEmpty();
    }

    [Fact]
    public async Task DryRun_RunsReadOnlySteps_ButRemembersNothing()
    {
        var reads = 0;
        await using var f = new SyncFixture(SyncFixture.Orders(2), (s, _) => s.Map(SyncFixture.OrderToInvoice)
            .Step("lookup", WriteSafety.ReadOnly, (d, _, _) => Task.FromResult(Interlocked.Increment(ref reads)))
            .Step("customer", WriteSafety.NaturalUpsert, (d, c, ct) => c.Get<FakeLedger>().UpsertCustomerAsync(d.Email, ct)));

        await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { DryRun = true });
        var real = await f.Runner.RunAsync(SyncFixture.Sync);

        reads.Should().Be(4, "the dry run's reads are not memoized, so the real run reads again");
        real.Summary.Completed.Should().Be(2);
    }

    [Fact]
    public async Task UnknownErrorAfterTheCall_IsTreatedAsMaybeApplied_AndKeepsTheIdempotencyKey()
    {
        var calls = 0;
        await using var f = new SyncFixture(SyncFixture.Orders(1), (s, _) => s.WithStepRetries(1, TimeSpan.Zero).Map(SyncFixture.OrderToInvoice)
            .Step("invoice", WriteSafety.IdempotencyKey, async (d, c, ct) =>
            {
                var id = await c.Get<FakeLedger>().CreateInvoiceAsync(c.IdempotencyKey, "cust", d.Total, ct);
                return Interlocked.Increment(ref calls) == 1 ? throw new System.Text.Json.JsonException("the response could not be read") : id;
            }));

        var first = await f.Runner.RunAsync(SyncFixture.Sync);
        var second = await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        first.Summary.DeadLettered.Should().Be(1);
        second.Summary.Completed.Should().Be(1);
        f.Ledger.InvoiceKeysSeen.Distinct().Should().ContainSingle("the write may have happened, so the retry reuses its key");
        f.Ledger.Invoices.Should().Be(1);
    }

    [Fact]
    public async Task UnsafeStep_FailingWithAnUnknownError_EndsAmbiguous()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1), (s, _) => s.Map(SyncFixture.OrderToInvoice)
            .Step("email", WriteSafety.Unsafe, async (d, c, ct) =>
            {
                await c.Get<FakeLedger>().SendEmailAsync(d.Email, ct);
                return UnexpectedResponse();
            }));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Ambiguous.Should().Be(1);
        f.Ledger.Emails.Should().ContainSingle();
    }

    private static int UnexpectedResponse() => throw new InvalidOperationException("unexpected response");

    [Fact]
    public async Task SourceThatCannotBeCreated_FailsTheRunInTheReport()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddSingleton(new FakeLedger());
        services.AddIntegrations(i => i.AddSync<Order>("broken", s => SyncFixture.DefaultSteps(
            s.FromIncremental(_ => throw new InvalidOperationException("no credentials for the shop")).Key(o => "k"))));
        await using var sp = services.BuildServiceProvider();

        var report = await sp.GetRequiredService<ISyncRunner>().RunAsync("broken");

        report.Summary.Status.Should().Be(RunStatus.Failed);
        report.Summary.Error.Should().Contain("no credentials for the shop");
        report.Summary.Read.Should().Be(0);
    }

    [Fact]
    public async Task DuplicateEvents_ProcessedTogether_WriteOnce()
    {
        await using var f = new SyncFixture([], (s, _) => SyncFixture.DefaultSteps(s.FromEvents()));
        var order = new Order(1, "dup@example.com", 10, true, 1);

        var report = await f.Runner.ProcessAsync(SyncFixture.Sync, [order, order, order, order]);

        report.Summary.Read.Should().Be(4);
        report.Summary.Completed.Should().Be(1);
        report.Summary.Skipped.Should().Be(3);
        f.Ledger.CallsByOperation["invoice"].Should().Be(1);
    }

    [Fact]
    public async Task SourceFailingMidway_FailsTheRun_AndTheCheckpointKeepsOnlyFinishedRecords()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(10));
        f.Source.FailAfter = 6;

        var failed = await f.Runner.RunAsync(SyncFixture.Sync);
        f.Source.FailAfter = null;
        f.Time.Advance(TimeSpan.FromMinutes(5));
        var resumed = await f.Runner.RunAsync(SyncFixture.Sync);

        failed.Summary.Status.Should().Be(RunStatus.Failed);
        failed.Summary.Error.Should().Contain("page 2 failed");
        failed.Summary.Read.Should().Be(6);
        failed.Summary.CheckpointAfter.Should().Be("6");
        resumed.Summary.Read.Should().Be(4);
        f.Ledger.Invoices.Should().Be(10);
        (await f.Get<IRunHistoryStore>().ListAsync(SyncFixture.Sync)).Select(r => r.Status).Should().Equal(RunStatus.Succeeded, RunStatus.Failed);
    }

    [Fact]
    public async Task Branch_RoutesRecordsByPredicate()
    {
        await using var f = new SyncFixture(
            SyncFixture.Orders(4, i => new Order(i, $"b{i}@example.com", i * 500, true, i)),
            (s, _) => s.Map(SyncFixture.OrderToInvoice).When(
                "large",
                d => d.Total >= 1000,
                big => big.Step("email", WriteSafety.Unsafe, (d, c, ct) => c.Get<FakeLedger>().SendEmailAsync("vip:" + d.Email, ct)),
                small => small.Step("customer", WriteSafety.NaturalUpsert, (d, c, ct) => c.Get<FakeLedger>().UpsertCustomerAsync(d.Email, ct))));

        await f.Runner.RunAsync(SyncFixture.Sync);

        f.Ledger.Emails.Should().BeEquivalentTo("vip:b2@example.com", "vip:b3@example.com", "vip:b4@example.com");
        f.Ledger.Customers.Should().Be(1);
    }

    [Fact]
    public async Task RunReport_CarriesTheMappingTable()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Mapping!.Fields.Select(x => (x.SourcePath, x.TargetPath, x.Transform)).Should().Equal(
            ("Email", "Email", "lowercase"), ("Total", "Total", null), ("Id", "Reference", "order number"));
    }

    [Fact]
    public async Task UnknownSync_Throws_NamingTheRegisteredOnes()
    {
        await using var f = new SyncFixture([]);

        var act = () => f.Runner.RunAsync("nope");

        (await act.Should().ThrowAsync<KeyNotFoundException>()).WithMessage("*'nope'*orders*");
    }
}
