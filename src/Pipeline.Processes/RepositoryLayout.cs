namespace Pipeline.Processes;

/// <summary>Where a checkout's parts are, found from the running assembly: the repository, ../shared/data, built services.</summary>
public static class RepositoryLayout
{
    static readonly Lazy<string?> Root = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    });

    /// <summary>The folder with Pipeline.sln; throws when run outside a checkout.</summary>
    public static string RepositoryRoot =>
        Root.Value ?? throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}.");

    /// <summary>../shared/data next to the checkout.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>The build configuration the caller runs in (Debug or Release), read from its own output path.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    /// <summary>The built entry assembly of a service project, e.g. src/Pipeline.Indexing/bin/Release/net10.0/Pipeline.Indexing.dll.</summary>
    public static string ServiceAssembly(string project) =>
        Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", project + ".dll");
}
