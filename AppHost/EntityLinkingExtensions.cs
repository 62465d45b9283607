using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

static class EntityLinkingExtensions
{
    /// <summary>
    /// The entity linker's knowledge base: <c>Pipeline:KnowledgeBasePath</c> (relative to the repository root; default
    /// the bundled KB in ../shared/data/kb next to the checkout), read in place, with its binary index cached in the
    /// data directory so that restarts load it in under a second.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKnowledgeBase(this IResourceBuilder<ProjectResource> project, PipelineSettings settings)
    {
        var builder = project.ApplicationBuilder;
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var configured = builder.Configuration[$"{PipelineSettings.SectionName}:KnowledgeBasePath"];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine("..", "shared", "data", "kb") : configured, repositoryRoot);
        return project
            .WithEnvironment("EntityLinking__KnowledgeBasePath", path)
            .WithEnvironment("EntityLinking__CacheDirectory", Path.Combine(settings.DataPath, "kb-cache"));
    }
}
