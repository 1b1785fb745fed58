using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>Keeps the documented mapping tables equal to what the mappers say about themselves.</summary>
public sealed class DocsTests
{
    [Theory]
    [InlineData("samples.md", "Header")]
    [InlineData("samples.md", "Line")]
    [InlineData("connectors/quickbooks.md", "Header")]
    [InlineData("connectors/quickbooks.md", "Line")]
    [InlineData("connectors/shopify.md", "Header")]
    [InlineData("connectors/shopify.md", "Line")]
    public void DocsPage_ShowsTheMappingExactlyAsTheMapperDescribesIt(string file, string mapper)
    {
        var expected = mapper == "Header" ? OrdersToInvoices.Header.Description.ToMarkdown() : OrdersToInvoices.Line.Description.ToMarkdown();
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", file)).ReplaceLineEndings("\n");

        var start = page.IndexOf($"<!-- mapping:{mapper} -->", StringComparison.Ordinal);
        var end = page.IndexOf($"<!-- /mapping:{mapper} -->", StringComparison.Ordinal);

        start.Should().BeGreaterThan(0, $"docs/{file} marks the table");
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
