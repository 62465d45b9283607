namespace Pipeline.Cli.Commands;

/// <summary>The repository the command runs in (the folder with Pipeline.sln), and the shared data beside it.</summary>
static class RepositoryLocation
{
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    public static string SharedData => Path.GetFullPath(Path.Combine(Root(), "..", "shared", "data"));
}
