using Xunit;

namespace Pipeline.Testing;

/// <summary>Where the repository and the shared data (../shared/data next to the checkout) are.</summary>
public static class RepositoryPaths
{
    static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    });

    public static string RepositoryRoot => Root.Value;

    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    public static string SampleArticle => Path.Combine(SharedData, "articles", "sample-article-2024-01-30.txt");

    /// <summary>The build configuration the tests run in (Debug or Release), read from the test's own output path.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    /// <summary>The built entry assembly of a service project, e.g. src/Pipeline.Indexing/bin/Debug/net10.0/Pipeline.Indexing.dll.</summary>
    public static string ServiceAssembly(string project) =>
        Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", project + ".dll");

    /// <summary>Reads a shared data file, or skips the test with a clear reason when ../shared/data is absent.</summary>
    public static string RequireSharedFile(string relativePath)
    {
        var path = Path.Combine(SharedData, relativePath);
        if (!File.Exists(path))
        {
            Assert.Skip($"{path} is not present: the shared data folder is expected next to the checkout.");
        }

        return path;
    }
}
