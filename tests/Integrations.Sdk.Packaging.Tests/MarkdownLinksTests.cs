namespace Integrations.Sdk.Packaging.Tests;

/// <summary>The link reader the package checks rely on finds every kind of link, and none inside code.</summary>
public sealed class MarkdownLinksTests
{
    [Fact]
    public void Targets_FindsInlineReferenceImageAndHtmlLinks_ButNotCode()
    {
        const string markdown = """
            # Title

            See [the docs](../../docs/concepts.md) and ![logo](img/logo.png "Logo"), [a [nested] one](https://example.com/a),
            [ref]: ../docs/ref.md
            <a href="relative.html">x</a> and `[not](a-link.md)` in a code span.

            ```csharp
            var x = list[0](y); // [not](code.md)
            ```
            """;

        MarkdownLinks.Targets(markdown).Should().BeEquivalentTo(
            ["../../docs/concepts.md", "img/logo.png", "https://example.com/a", "../docs/ref.md", "relative.html"]);
    }

    [Theory]
    [InlineData("https://github.com/o/r/blob/main/docs/x.md", true)]
    [InlineData("http://example.com", true)]
    [InlineData("../../docs/x.md", false)]
    [InlineData("docs/x.md", false)]
    [InlineData("#anchor", false)]
    [InlineData("/docs/x.md", false)]
    [InlineData("mailto:a@example.com", false)]
    public void IsAbsoluteWebAddress(string target, bool expected) =>
        MarkdownLinks.IsAbsoluteWebAddress(target).Should().Be(expected);
}
