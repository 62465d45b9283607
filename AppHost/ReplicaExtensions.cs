namespace Pipeline.AppHost;

/// <summary>
/// <c>Pipeline:Replicas:{service}</c>: how many instances of a service run, as competing consumers of its queue (the
/// enrichers, and indexing with Elasticsearch) or behind one proxied address (search). Applied once every service is
/// added, and refused at start where a second instance would do harm.
/// </summary>
static class ReplicaExtensions
{
    public const int MaxReplicas = 8;

    public static void ApplyReplicas(this IDistributedApplicationBuilder builder, PipelineSettings settings, SearchStoreChoice store)
    {
        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, count) in settings.Replicas)
        {
            var key = $"{PipelineSettings.SectionName}:Replicas:{name}";
            if (!projects.TryGetValue(name, out var project))
            {
                throw new InvalidOperationException($"{key}: there is no service '{name}'; the services are {string.Join(", ", projects.Keys.Order(StringComparer.Ordinal))}.");
            }

            if (count is < 1 or > MaxReplicas)
            {
                throw new InvalidOperationException($"{key} must be 1 to {MaxReplicas}, got {count}.");
            }

            if (count == 1)
            {
                continue;
            }

            if (name == "ingestion")
            {
                throw new InvalidOperationException(
                    $"{key}={count}: ingestion runs once; its duplicate index and feed list live in one data directory that two instances would both write.");
            }

            if (name == "indexing" && store.ConnectionString is null)
            {
                throw new InvalidOperationException(
                    $"{key}={count}: the embedded Lucene index ({settings.IndexPath}) has exactly one writer, so indexing runs once with it. " +
                    "To run several, use Elasticsearch (ConnectionStrings:elasticsearch, or the container mode), whose optimistic concurrency merges concurrent writes.");
            }

            builder.CreateResourceBuilder(project).WithReplicas(count);
        }
    }
}
