using Pipeline.AppHost.Broker;
using Pipeline.AppHost.Operations;

namespace Pipeline.AppHost;

/// <summary>
/// An enricher is one line in the AppHost: <c>builder.AddEnricher&lt;Projects.X&gt;("resource", "enricher-name", broker, indexing)</c>.
/// It gets the broker, a health check, the "Replay error queue" and "Re-run enricher" commands, and its queues are
/// measured by the indexing service (queue depth, dead letters).
/// </summary>
static class EnricherExtensions
{
    public static IResourceBuilder<ProjectResource> AddEnricher<TProject>(
        this IDistributedApplicationBuilder builder, string resourceName, string enricherName, BrokerChoice broker, IResourceBuilder<ProjectResource> indexing)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(resourceName).AsEnricher(enricherName, broker, indexing);

    /// <summary>Wires an already added project as the enricher <paramref name="enricherName"/> (queue <c>{name}-enricher</c>).</summary>
    public static IResourceBuilder<ProjectResource> AsEnricher(
        this IResourceBuilder<ProjectResource> project, string enricherName, BrokerChoice broker, IResourceBuilder<ProjectResource> indexing)
    {
        EnricherNames(indexing).Add(enricherName);
        return project
            .WithBroker(broker)
            .WithHttpHealthCheck("/health")
            .WithErrorQueueReplay(broker, enricherName + "-enricher")
            .WithEnricherRerun(enricherName, indexing);
    }

    /// <summary>Hands the indexing service the names of every enricher added (Operations:Enrichers), whenever it starts.</summary>
    public static IResourceBuilder<ProjectResource> WithEnricherQueues(this IResourceBuilder<ProjectResource> indexing)
    {
        var names = EnricherNames(indexing);
        return indexing.WithEnvironment(context =>
        {
            for (var i = 0; i < names.Count; i++)
            {
                context.EnvironmentVariables[$"Operations__Enrichers__{i}"] = names[i];
            }
        });
    }

    static List<string> EnricherNames(IResourceBuilder<ProjectResource> indexing)
    {
        var annotation = indexing.Resource.Annotations.OfType<EnricherNamesAnnotation>().FirstOrDefault();
        if (annotation is null)
        {
            annotation = new EnricherNamesAnnotation();
            indexing.WithAnnotation(annotation);
        }

        return annotation.Names;
    }

    sealed class EnricherNamesAnnotation : IResourceAnnotation
    {
        public List<string> Names { get; } = [];
    }
}
