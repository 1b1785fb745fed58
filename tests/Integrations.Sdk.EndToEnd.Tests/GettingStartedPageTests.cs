using System.Text.RegularExpressions;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>
/// Keeps docs/getting-started.md's code equal to code that is compiled and run: each of its C# blocks follows a marker
/// <c>&lt;!-- snippet: path#region --&gt;</c> and must be exactly that <c>#region</c> of the file (regions of the same
/// name are joined, in order; indentation common to their lines removed). The code runs in <see cref="GettingStartedTests"/>.
/// </summary>
public sealed partial class GettingStartedPageTests
{
    private const string Page = "docs/getting-started.md";

    [Fact]
    public void EveryCSharpBlock_IsMarkedAsASnippetOfCompiledCode()
    {
        var blocks = Blocks();

        blocks.Should().NotBeEmpty();
        blocks.Where(b => b.Language == "csharp" && b.Source is null).Select(b => b.Line)
            .Should().BeEmpty($"every C# block of {Page} (these lines) is preceded by a snippet marker naming compiled code");
    }

    [Fact]
    public void EverySnippet_IsExactlyItsRegionOfTheSource()
    {
        var snippets = Blocks().Where(b => b.Source is not null).ToList();

        snippets.Should().HaveCountGreaterThan(4);
        foreach (var snippet in snippets)
        {
            var parts = snippet.Source!.Split('#', 2);
            var (path, region) = (parts[0], parts[1]);
            var expected = Region(File.ReadAllText(Path.Combine(RepositoryRoot(), path)), region);

            expected.Should().NotBeNull($"{path} has a #region {region} (snippet at {Page}:{snippet.Line})");
            snippet.Code.Should().Be(expected, $"the block at {Page}:{snippet.Line} shows {path}#{region} exactly");
        }
    }

    /// <summary>The fenced blocks of the page: language, code, the snippet marker before it (if any) and its line.</summary>
    private static List<(string Language, string Code, string? Source, int Line)> Blocks()
    {
        var lines = File.ReadAllText(Path.Combine(RepositoryRoot(), Page)).ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<(string, string, string?, int)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3)
            {
                continue;
            }

            var start = i;
            var end = Array.FindIndex(lines, start + 1, l => l == "```");
            end.Should().BeGreaterThan(start, $"the block at {Page}:{start + 1} is closed");
            var marker = start > 0 ? Marker().Match(lines[start - 1]) : Match.Empty;
            blocks.Add((lines[start][3..].Trim(), string.Join('\n', lines[(start + 1)..end]), marker.Success ? marker.Groups[1].Value : null, start + 1));
            i = end;
        }

        return blocks;
    }

    /// <summary>The lines of every <c>#region name</c> of the source, joined, without their common indentation; null when none.</summary>
    private static string? Region(string source, string name)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        var taken = new List<string>();
        var found = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != $"#region {name}")
            {
                continue;
            }

            found = true;
            for (i++; i < lines.Length && lines[i].Trim() != "#endregion"; i++)
            {
                taken.Add(lines[i]);
            }
        }

        if (!found)
        {
            return null;
        }

        var indent = taken.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', taken.Select(l => l.Trim().Length == 0 ? string.Empty : l[indent..]));
    }

    [GeneratedRegex(@"^<!-- snippet: (\S+#\S+) -->$")]
    private static partial Regex Marker();

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
