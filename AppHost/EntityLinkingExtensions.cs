using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

static class EntityLinkingExtensions
{
    /// <summary>
    /// The entity linker's knowledge bases, highest priority first: <c>Pipeline:KnowledgeBasePaths</c> (a list, or
    /// one comma-separated value, e.g. <c>../shared/data/kb,/data/kb-wikidata</c>: the bundled KB first, then a full one
    /// built with <c>pipeline kb build</c>), else <c>Pipeline:KnowledgeBasePath</c> alone; paths are relative to the
    /// repository root, and the default is the bundled KB in ../shared/data/kb next to the checkout, read in place. Its
    /// compiled file is cached in the data directory, so restarts open it at once.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKnowledgeBase(this IResourceBuilder<ProjectResource> project, PipelineSettings settings)
    {
        var builder = project.ApplicationBuilder;
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var bundled = Path.Combine("..", "shared", "data", "kb");
        var section = builder.Configuration.GetSection($"{PipelineSettings.SectionName}:KnowledgeBasePaths");
        List<string> paths = [.. section.GetChildren().Select(c => c.Value).OfType<string>(), .. (section.Value ?? "").Split(',')];
        paths = [.. paths.Select(p => p.Trim()).Where(p => p.Length > 0)];
        if (paths.Count == 0)
        {
            var single = builder.Configuration[$"{PipelineSettings.SectionName}:KnowledgeBasePath"];
            paths.Add(string.IsNullOrWhiteSpace(single) ? bundled : single);
        }

        for (var i = 0; i < paths.Count; i++)
        {
            project = project.WithEnvironment($"EntityLinking__KnowledgeBasePaths__{i}", Path.GetFullPath(paths[i], repositoryRoot));
        }

        return project.WithEnvironment("EntityLinking__CacheDirectory", Path.Combine(settings.DataPath, "kb-cache"));
    }
}
