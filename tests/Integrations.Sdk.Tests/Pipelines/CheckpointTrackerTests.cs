using Integrations.Sdk.Pipelines.Internal;

namespace Integrations.Sdk.Tests.Pipelines;

public sealed class CheckpointTrackerTests
{
    [Fact]
    public void Finish_OutOfOrder_AdvancesOnlyPastTheContiguousPrefix()
    {
        var tracker = new CheckpointTracker("0");
        var a = tracker.Register("10");
        var b = tracker.Register("20");
        var c = tracker.Register("30");

        tracker.Finish(c).Should().BeFalse();
        tracker.Safe.Should().Be("0", "record a and b are still in flight");
        tracker.Finish(a).Should().BeTrue();
        tracker.Safe.Should().Be("10");
        tracker.Finish(b).Should().BeTrue();
        tracker.Safe.Should().Be("30");
    }

    [Fact]
    public void Finish_RecordsWithoutCheckpoint_KeepTheLastOne()
    {
        var tracker = new CheckpointTracker(null);
        var a = tracker.Register("5");
        var b = tracker.Register(null);

        tracker.Finish(b);
        tracker.Finish(a);

        tracker.Safe.Should().Be("5");
    }
}
