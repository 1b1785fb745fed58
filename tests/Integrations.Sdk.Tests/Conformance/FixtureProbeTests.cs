using Integrations.Sdk.Testing.Conformance;
using Xunit.Abstractions;

namespace Integrations.Sdk.Tests.Conformance;

public sealed class FixtureProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var spec = new OpenApiPlatformSpec("stripe", [new("spec3.json", Exchanges.Spec("stripe.spec3.json"))]);
        var checker = new ConformanceChecker([spec]);
        foreach (var (name, path) in new[] { ("customer", "/v1/customers/cus_1"), ("invoice", "/v1/invoices/in_1"), ("subscription", "/v1/subscriptions/sub_1"), ("event", "/v1/events/evt_1") })
        {
            var ex = Exchanges.Request("stripe", "GET", path).Answer(200, Exchanges.StripeFixture(name).ToJsonString());
            output.WriteLine(name + ":");
            output.WriteLine(Exchanges.Lines(checker.Check(ex, ConformanceSide.Response)));
        }
    }
}
