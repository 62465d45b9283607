using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.AppHost.Broker;

namespace Pipeline.AppHost;

/// <summary>Which search store the indexing and search services use, decided with the broker (before resources exist).</summary>
static class SearchStoreExtensions
{
    public const string ResourceName = "elasticsearch";

    /// <summary>The image of the container mode; the version the GitHub workflow tests against.</summary>
    const string Image = "docker.elastic.co/elasticsearch/elasticsearch";
    const string Tag = "9.1.5";

    /// <summary>
    /// An external Elasticsearch when <c>ConnectionStrings:elasticsearch</c> is set; a single-node Elasticsearch container
    /// when containers are in use (unless <c>Pipeline:Elasticsearch</c> is false); otherwise none, and the services use
    /// the embedded Lucene index.
    /// </summary>
    public static SearchStoreChoice AddSearchStore(this IDistributedApplicationBuilder builder, PipelineSettings settings, BrokerChoice broker)
    {
        var choice = Choose(builder, settings, broker);
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pipeline.AppHost.SearchStore").LogInformation("Search store: {Store}", choice.Description);
            return Task.CompletedTask;
        });
        return choice;
    }

    static SearchStoreChoice Choose(IDistributedApplicationBuilder builder, PipelineSettings settings, BrokerChoice broker)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ResourceName)))
        {
            var external = builder.AddConnectionString(ResourceName);
            return new(external, external, "external Elasticsearch (ConnectionStrings:elasticsearch)");
        }

        if (broker.Mode == BrokerMode.Container && settings.Elasticsearch)
        {
            var container = builder.AddContainer(ResourceName, Image, Tag)
                .WithHttpEndpoint(targetPort: 9200, name: "http")
                .WithEnvironment("discovery.type", "single-node")
                .WithEnvironment("xpack.security.enabled", "false")
                .WithEnvironment("ES_JAVA_OPTS", "-Xms1g -Xmx1g")
                .WithHttpHealthCheck("/_cluster/health?wait_for_status=yellow&timeout=1s", endpointName: "http");
            var connection = builder.AddConnectionString(ResourceName, ReferenceExpression.Create($"{container.GetEndpoint("http")}"));
            return new(connection, container, "Elasticsearch container");
        }

        return new(null, null, $"embedded Lucene index at {settings.IndexPath}");
    }

    /// <summary>Points a project at the chosen store: the Elasticsearch connection string, or the shared Lucene directory.</summary>
    public static IResourceBuilder<ProjectResource> WithSearchStore(this IResourceBuilder<ProjectResource> project, SearchStoreChoice store, string indexPath)
    {
        if (store.ConnectionString is null)
        {
            return project.WithEnvironment("SearchStore__LucenePath", indexPath);
        }

        project.WithReference(store.ConnectionString);
        return store.Server is IResourceBuilder<IResource> server and not IResourceBuilder<IResourceWithConnectionString>
            ? project.WaitFor(server)
            : project;
    }
}

/// <summary>The chosen store: its connection string and the resource to wait for, or neither for the embedded Lucene index.</summary>
sealed record SearchStoreChoice(
    IResourceBuilder<IResourceWithConnectionString>? ConnectionString,
    IResourceBuilder<IResource>? Server,
    string Description);
