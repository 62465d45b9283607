using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

static class IngestionExtensions
{
    /// <summary>
    /// The ingestion service's state (duplicate index, feed list) under the data directory, so both survive restarts;
    /// API keys from the AppHost's own <c>Ingestion:ApiKeys</c> (e.g. <c>./run --Ingestion:ApiKeys:0=secret</c>), and
    /// feeds from <c>Ingestion:Feeds</c>. Without keys the API is open (Development).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithIngestionSettings(this IResourceBuilder<ProjectResource> project, PipelineSettings settings)
    {
        var configuration = project.ApplicationBuilder.Configuration;
        project.WithEnvironment("Ingestion__DataDirectory", Path.Combine(settings.DataPath, "ingestion"));
        foreach (var section in new[] { "Ingestion:ApiKeys", "Ingestion:Feeds" })
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable(makePathsRelative: false))
            {
                if (value is not null)
                {
                    project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }

        return project;
    }
}
