using Pipeline.AppHost.Broker;
using Pipeline.AppHost.Operations;
using Pipeline.Messaging;

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
        Enrichers(indexing).Add(enricherName, project.Resource);
        return project
            .WithBroker(broker)
            .WithHttpHealthCheck("/health")
            .WithErrorQueueReplay(broker, QueueNames.Enricher(enricherName))
            .WithEnricherRerun(enricherName, indexing);
    }

    /// <summary>Hands the indexing service the names of every enricher added (Operations:Enrichers), whenever it starts.</summary>
    public static IResourceBuilder<ProjectResource> WithEnricherQueues(this IResourceBuilder<ProjectResource> indexing)
    {
        var enrichers = Enrichers(indexing);
        return indexing.WithEnvironment(context =>
        {
            var names = enrichers.Keys.ToList();
            for (var i = 0; i < names.Count; i++)
            {
                context.EnvironmentVariables[$"Operations__Enrichers__{i}"] = names[i];
            }
        });
    }

    /// <summary>
    /// Ingestion starts only once indexing and every enricher (including those added after this call) are healthy.
    /// Each consumer declares its queue, bound to <c>ArticleIngested</c>, when its bus starts; an article published
    /// before that is confirmed by the broker but never reaches that consumer. On a first start the entity linker
    /// spends a minute loading its knowledge base, and an article submitted meanwhile was indexed without entities.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WaitForArticleConsumers(this IResourceBuilder<ProjectResource> ingestion, IResourceBuilder<ProjectResource> indexing)
    {
        var enrichers = Enrichers(indexing);
        ingestion.WaitFor(indexing);
        ingestion.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            foreach (var enricher in enrichers.Values)
            {
                ingestion.WithAnnotation(new WaitAnnotation(enricher, WaitType.WaitUntilHealthy));
            }

            return Task.CompletedTask;
        });
        return ingestion;
    }

    static Dictionary<string, IResource> Enrichers(IResourceBuilder<ProjectResource> indexing)
    {
        var annotation = indexing.Resource.Annotations.OfType<EnrichersAnnotation>().FirstOrDefault();
        if (annotation is null)
        {
            annotation = new EnrichersAnnotation();
            indexing.WithAnnotation(annotation);
        }

        return annotation.Enrichers;
    }

    /// <summary>The enrichers added, by enricher name (a name used twice is a mistake and throws).</summary>
    sealed class EnrichersAnnotation : IResourceAnnotation
    {
        public Dictionary<string, IResource> Enrichers { get; } = new(StringComparer.Ordinal);
    }
}
