using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Integrations.Sdk.Packaging.Tests;

/// <summary>
/// Packs every project under <c>src/</c> once, as a user would receive them: what <c>dotnet pack --no-build</c> does, for
/// all of them in one MSBuild run, in the configuration these tests were built in (this project references the src
/// projects, so they are built), without restoring, into a temporary folder that is deleted afterwards.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public PackedPackages()
    {
        Root = RepositoryRoot();
        Directory = Path.Combine(Path.GetTempPath(), "integrations-sdk-pack-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

        // One MSBuild invocation packs every src project (in parallel), as `dotnet pack --no-build` does for each.
        var packAll = Path.Combine(Directory, "pack-all.proj");
        File.WriteAllText(packAll, $"""
            <Project>
              <ItemGroup>
                <PackageProject Include="{Path.Combine(Root, "src")}/*/*.csproj" />
              </ItemGroup>
              <Target Name="Pack">
                <MSBuild Projects="@(PackageProject)" Targets="Pack" BuildInParallel="true" />
              </Target>
            </Project>
            """);

        var stopwatch = Stopwatch.StartNew();
        var (exitCode, output) = Run(Root,
            "msbuild", packAll, "-t:Pack", "-m", "-nologo", "-nodeReuse:false", "-verbosity:minimal",
            $"-p:Configuration={configuration}", "-p:NoBuild=true", "-p:_IsPacking=true",
            $"-p:PackageOutputPath={Directory}/");
        PackTime = stopwatch.Elapsed;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"packing failed with exit code {exitCode}:\n{output}");
        }

        Packages = System.IO.Directory.GetFiles(Directory, "*.nupkg")
            .Select(Package.Read)
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The repository's root folder (the one holding Integrations.Sdk.sln).</summary>
    public string Root { get; }

    /// <summary>Where the packages were written.</summary>
    public string Directory { get; }

    /// <summary>How long packing took (reported, never asserted).</summary>
    public TimeSpan PackTime { get; }

    /// <summary>Each .nupkg (not the symbol packages), by package id.</summary>
    public IReadOnlyDictionary<string, Package> Packages { get; }

    /// <summary>The names of the projects under src/, each of which must become a package of the same id.</summary>
    public static IEnumerable<string> SourceProjects() =>
        System.IO.Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
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

    private static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments)
    {
        // The dotnet that runs these tests (set by the SDK for its child processes), else the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(PackTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"packing did not finish within {PackTimeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}

/// <summary>What a test needs from one .nupkg: its nuspec and the README it carries.</summary>
public sealed record Package(string Id, string FileName, XElement Metadata, IReadOnlyList<string> Entries, string? Readme)
{
    public static Package Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var nuspecEntry = zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.Name.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var id = metadata.Elements().Single(e => e.Name.LocalName == "id").Value;
        var readmePath = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "readme")?.Value;
        string? readme = null;
        if (!string.IsNullOrEmpty(readmePath))
        {
            var entry = zip.GetEntry(readmePath.Replace('\\', '/'));
            if (entry is not null)
            {
                using var reader = new StreamReader(entry.Open());
                readme = reader.ReadToEnd();
            }
        }

        return new Package(id, Path.GetFileName(path), metadata, [.. zip.Entries.Select(e => e.FullName)], readme);
    }

    /// <summary>The value of a metadata element, or null when it is absent.</summary>
    public string? Element(string name) => Metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>An attribute of a metadata element, or null when either is absent.</summary>
    public string? Attribute(string element, string attribute) =>
        Metadata.Elements().SingleOrDefault(e => e.Name.LocalName == element)?.Attribute(attribute)?.Value;
}

[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "packed packages";
}
