using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>Keeps the documented mapping tables equal to what the mappers say about themselves.</summary>
public sealed class DocsTests
{
    [Theory]
    [InlineData("Header")]
    [InlineData("Line")]
    public void SamplesPage_ShowsTheMappingExactlyAsTheMapperDescribesIt(string mapper)
    {
        var expected = mapper == "Header" ? OrdersToInvoices.Header.Description.ToMarkdown() : OrdersToInvoices.Line.Description.ToMarkdown();
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "samples.md")).ReplaceLineEndings("\n");

        var start = page.IndexOf($"<!-- mapping:{mapper} -->", StringComparison.Ordinal);
        var end = page.IndexOf($"<!-- /mapping:{mapper} -->", StringComparison.Ordinal);

        start.Should().BeGreaterThan(0, "docs/samples.md marks the table");
        page[start..end].Should().Contain(expected.ReplaceLineEndings("\n"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Integrations.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Integrations.Sdk.sln not found above the test's folder.");
    }
}
