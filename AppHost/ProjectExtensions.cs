namespace Pipeline.AppHost;

static class ProjectExtensions
{
    /// <summary>The Lucene index directory, which the indexing (writer) and search (reader) services must share.</summary>
    public static IResourceBuilder<ProjectResource> WithSearchStore(this IResourceBuilder<ProjectResource> project, string indexPath) =>
        project.WithEnvironment("SearchStore__LucenePath", indexPath);
}
