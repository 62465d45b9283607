using Pipeline.Processes;

namespace Pipeline.Cli.Bench;

/// <summary>
/// The product's services as processes from their build output, configured as the AppHost configures them: ingestion,
/// every enricher with N replicas (competing consumers on its queue) and one indexer (the Lucene store has one
/// writer). Used by <c>bench pipeline</c> and <c>pipeline chaos</c>.
/// </summary>
public sealed class PipelineServices(string brokerConnectionString, string workDirectory) : IAsyncDisposable
{
    /// <summary>The enrichers the AppHost runs: enricher name and service project.</summary>
    public static readonly (string Name, string Project)[] Enrichers =
    [
        ("claims", "Pipeline.ClaimTagging"),
        ("entities", "Pipeline.EntityLinking"),
        ("fact-checks", "Pipeline.Enrichers.FactCheckMatching"),
    ];

    public const string Ingestion = "Pipeline.Ingestion";
    public const string Indexing = "Pipeline.Indexing";

    readonly List<ServiceReplica> _replicas = [];

    public static string[] EnricherNames => [.. Enrichers.Select(e => e.Name)];

    public static IEnumerable<string> Projects => [Ingestion, .. Enrichers.Select(e => e.Project), Indexing];

    public string IndexPath => Path.Combine(workDirectory, "index");

    /// <summary>The first service whose build output is missing, or null when every one is built.</summary>
    public static string? MissingBuild => Projects.Select(RepositoryLayout.ServiceAssembly).FirstOrDefault(a => !File.Exists(a));

    public IReadOnlyList<ServiceReplica> Replicas => _replicas;

    /// <summary>The first (or only) running replica of a project.</summary>
    public ServiceProcess this[string project] => _replicas.First(r => r.Project == project).Process;

    /// <summary>
    /// Starts indexing and the enrichers first (their queues must exist before ingestion publishes, as the AppHost
    /// orders them), <paramref name="enricherReplicas"/> processes of each enricher, then ingestion.
    /// </summary>
    public async Task StartAsync(int enricherReplicas, Action? started, CancellationToken cancellationToken)
    {
        foreach (var project in Projects.Reverse())
        {
            var replicas = Enrichers.Any(e => e.Project == project) ? enricherReplicas : 1;
            for (var number = 1; number <= replicas; number++)
            {
                var replica = new ServiceReplica(project, number, replicas, Settings(brokerConnectionString, IndexPath, workDirectory));
                await replica.StartAsync(cancellationToken);
                _replicas.Add(replica);
                started?.Invoke();
            }
        }
    }

    /// <summary>Stops every replica of <paramref name="project"/> (SIGTERM) and forgets them.</summary>
    public async Task StopAsync(string project)
    {
        foreach (var replica in _replicas.Where(r => r.Project == project).ToList())
        {
            await replica.DisposeAsync();
            _replicas.Remove(replica);
        }
    }

    /// <summary>The configuration the AppHost gives every service (broker, store, the enrichers indexing watches, ingestion's state), quieter logs.</summary>
    public static Dictionary<string, string> Settings(string brokerConnectionString, string indexPath, string workDirectory)
    {
        var values = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = brokerConnectionString,
            ["SearchStore:LucenePath"] = indexPath,
            ["Ingestion:DataDirectory"] = Path.Combine(workDirectory, "ingestion"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < Enrichers.Length; i++)
        {
            values[$"Operations:Enrichers:{i}"] = Enrichers[i].Name;
        }

        return values;
    }

    public static string Display(string project) => project switch
    {
        Ingestion => "ingestion",
        "Pipeline.ClaimTagging" => "claim-tagging (claims)",
        "Pipeline.EntityLinking" => "entity-linking (entities)",
        "Pipeline.Enrichers.FactCheckMatching" => "fact-checking (fact-checks)",
        Indexing => "indexing",
        _ => project,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        _replicas.Clear();
    }
}
