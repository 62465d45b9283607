using Pipeline.Processes;
using Xunit;

namespace Pipeline.Testing;

/// <summary>Where the repository and the shared data (../shared/data next to the checkout) are, for tests.</summary>
public static class RepositoryPaths
{
    public static string RepositoryRoot => RepositoryLayout.RepositoryRoot;

    public static string SharedData => RepositoryLayout.SharedData;

    public static string SampleArticle => Path.Combine(SharedData, "articles", "sample-article-2024-01-30.txt");

    public static string ServiceAssembly(string project) => RepositoryLayout.ServiceAssembly(project);

    /// <summary>The path of a shared data file, or skips the test with a clear reason when ../shared/data is absent.</summary>
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
