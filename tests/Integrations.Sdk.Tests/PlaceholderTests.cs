namespace Integrations.Sdk.Tests; public class PlaceholderTests { [Fact] public void Works() => true.Should().BeTrue(); }
