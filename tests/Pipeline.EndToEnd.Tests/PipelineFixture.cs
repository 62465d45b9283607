using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// The whole pipeline for real: a private RabbitMQ node, a Lucene index in a temp directory and the five services
/// as separate processes, all on loopback. Everything is stopped and removed afterwards, also when a test fails.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    static readonly string[] Services = ["Pipeline.Ingestion", "Pipeline.ClaimTagging", "Pipeline.EntityLinking", "Pipeline.Indexing", "Pipeline.Search"];

    readonly List<ServiceProcess> _services = [];
    DirectoryInfo? _indexDirectory;

    public RabbitMqNode Broker { get; private set; } = null!;

    public ServiceProcess Ingestion => _services.Single(s => s.Project == "Pipeline.Ingestion");

    public ServiceProcess Search => _services.Single(s => s.Project == "Pipeline.Search");

    public async ValueTask InitializeAsync()
    {
        // Entity linking cannot start without the shared knowledge base; every test here needs shared files too and
        // reports skipped through RepositoryPaths.RequireSharedFile, so nothing is started for them.
        if (!Directory.Exists(Path.Combine(RepositoryPaths.SharedData, "kb")))
        {
            return;
        }

        Broker = await RabbitMqNode.StartAsync();
        _indexDirectory = Directory.CreateTempSubdirectory("pipeline-e2e-index-");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = Broker.ConnectionString,
            ["SearchStore:LucenePath"] = _indexDirectory.FullName,
            ["Indexing:BatchTimeLimit"] = "00:00:00.100",
        };

        // Indexing first: its queue must exist before anything is published to it.
        foreach (var service in Services.Reverse())
        {
            _services.Add(await ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly(service), settings, CancellationToken.None));
        }
    }

    /// <summary>Every service's recent console output, to explain a failure.</summary>
    public string Diagnostics() =>
        string.Join("\n", _services.Select(s => $"===== {s.Project} (exited: {s.HasExited})\n{s.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (_indexDirectory is not null)
        {
            IndexDirectories.Delete(_indexDirectory);
        }
    }
}
