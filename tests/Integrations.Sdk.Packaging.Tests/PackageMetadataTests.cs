using Xunit.Abstractions;

namespace Integrations.Sdk.Packaging.Tests;

/// <summary>
/// What someone who only has the NuGet packages sees: each package says where its repository is and carries a README
/// written for it, whose links work on nuget.org (absolute) and which does not send them to the repository's source.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class PackageMetadataTests(PackedPackages packed, ITestOutputHelper output)
{
    public static TheoryData<string> Projects() => [.. PackedPackages.SourceProjects()];

    [Fact]
    public void EverySourceProject_BecomesAPackage_UnderItsOwnName()
    {
        output.WriteLine($"packing took {packed.PackTime.TotalSeconds:0.0} s for {packed.Packages.Count} packages");

        packed.Packages.Keys.Order(StringComparer.Ordinal).Should().Equal(PackedPackages.SourceProjects());
    }

    [Fact]
    public void EveryPackage_NamesTheSameRepository()
    {
        packed.Packages.Values.Select(p => p.Attribute("repository", "url")).Distinct().Should().ContainSingle(
            "the repository's address is one MSBuild property (IntegrationsSdkRepositoryUrl in Directory.Build.props)");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Nuspec_HasAnAbsoluteRepositoryUrlAndProjectUrl(string id)
    {
        var package = packed.Packages.Should().ContainKey(id).WhoseValue;

        var repository = package.Attribute("repository", "url");
        repository.Should().NotBeNullOrWhiteSpace($"{package.FileName} must say where its source is (<repository url>)");
        MarkdownLinks.IsAbsoluteWebAddress(repository!).Should().BeTrue($"<repository url> of {package.FileName} is '{repository}'");
        package.Attribute("repository", "type").Should().Be("git");

        var project = package.Element("projectUrl");
        project.Should().NotBeNullOrWhiteSpace($"{package.FileName} must have a <projectUrl>");
        MarkdownLinks.IsAbsoluteWebAddress(project!).Should().BeTrue($"<projectUrl> of {package.FileName} is '{project}'");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Package_CarriesItsOwnReadme(string id)
    {
        var package = packed.Packages.Should().ContainKey(id).WhoseValue;

        var readmePath = package.Element("readme");
        readmePath.Should().NotBeNullOrWhiteSpace($"{package.FileName} must declare a <readme>");
        package.Entries.Should().Contain(readmePath!.Replace('\\', '/'), "the declared README must be in the package");
        package.Readme.Should().NotBeNullOrWhiteSpace();

        var readme = package.Readme!.ReplaceLineEndings("\n");
        readme.Should().StartWith($"# {id}\n", "each package has a README of its own, not the repository's");
        readme.Should().Contain($"dotnet add package {id}", "the README says how to install the package it ships in");
        readme.Should().NotContain("dotnet run --project", "a package user has no project of ours to run");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ReadmeLinks_AreAllAbsolute_AndPointIntoTheRepositoryOfTheNuspec(string id)
    {
        var package = packed.Packages.Should().ContainKey(id).WhoseValue;
        var repository = package.Attribute("repository", "url")!.TrimEnd('/');
        var links = MarkdownLinks.Targets(package.Readme ?? "");

        links.Should().NotBeEmpty($"the README of {id} links to the documentation");
        links.Where(l => !MarkdownLinks.IsAbsoluteWebAddress(l)).Should().BeEmpty(
            $"nuget.org cannot follow a relative link; these are in the README of {id}");
        links.Where(l => l.Contains("/../", StringComparison.Ordinal) || l.Contains("/./", StringComparison.Ordinal)).Should().BeEmpty(
            "a link into the repository names its file, not a path that climbs out of the package's folder");
        links.Where(l => l.Contains("/blob/", StringComparison.Ordinal) && !l.StartsWith(repository + "/blob/", StringComparison.Ordinal))
            .Should().BeEmpty($"links into the repository use the nuspec's repository URL ({repository})");
        links.Should().Contain(l => l.StartsWith(repository + "/blob/", StringComparison.Ordinal),
            $"the README of {id} links into the repository's documentation");
    }
}
