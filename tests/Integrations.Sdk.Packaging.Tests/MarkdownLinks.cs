using System.Text.RegularExpressions;

namespace Integrations.Sdk.Packaging.Tests;

/// <summary>The link targets of a Markdown document: inline links and images, reference definitions, HTML href/src.</summary>
public static partial class MarkdownLinks
{
    public static IReadOnlyList<string> Targets(string markdown)
    {
        // Code is not Markdown: a fenced block or a code span holds no link.
        var text = FencedCode().Replace(markdown.ReplaceLineEndings("\n"), string.Empty);
        text = CodeSpan().Replace(text, string.Empty);

        return
        [
            .. InlineLink().Matches(text).Select(m => m.Groups["target"].Value),
            .. ReferenceDefinition().Matches(text).Select(m => m.Groups["target"].Value),
            .. HtmlLink().Matches(text).Select(m => m.Groups["target"].Value),
        ];
    }

    /// <summary>An absolute http or https address, the only kind nuget.org can follow from a package README.</summary>
    public static bool IsAbsoluteWebAddress(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    [GeneratedRegex(@"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?(?<target>[^\s)>]*)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"\b(?:href|src)\s*=\s*[""'](?<target>[^""']*)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();
}
