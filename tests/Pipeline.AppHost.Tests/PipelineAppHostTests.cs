using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.AppHost.Tests;

/// <summary>The whole AppHost as <c>./run</c> starts it, with its own data directory and broker ports.</summary>
public sealed class PipelineAppHostTests(ITestOutputHelper output)
{
    const string ArticleUrl = "https://dailycaller.com/2024/01/30/china-promise-biden-interfere-election/";

    static readonly string[] Enrichers = ["claims", "entities", "fact-checks"];
    static readonly string[] Services = ["ingestion", "claim-tagging", "entity-linking", "fact-checking", "indexing", "search"];
    static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    static readonly TimeSpan EnrichmentTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The article is posted as soon as ingestion is healthy, as a user of <c>./run</c> would: every consumer's queue must
    /// exist by then (the entity linker loads its knowledge base for a while before its queue is declared), or the
    /// article is indexed without that consumer's enrichment.
    /// </summary>
    [Fact]
    public async Task Article_posted_as_soon_as_ingestion_is_healthy_is_searchable_with_every_enrichment()
    {
        var text = await File.ReadAllTextAsync(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"), TestContext.Current.CancellationToken);
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-").FullName;
        try
        {
            await RunPipelineAsync(dataDirectory, text);
        }
        finally
        {
            DeleteDirectory(dataDirectory);
        }
    }

    async Task RunPipelineAsync(string dataDirectory, string text)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout + EnrichmentTimeout);
        var cancellationToken = timeout.Token;
        var ports = DistinctFreePorts(3);

        var clock = Stopwatch.StartNew();
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(Arguments(dataDirectory, ports), cancellationToken);
        await using var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("ingestion", cancellationToken);
        output.WriteLine($"Ingestion healthy after {clock.Elapsed.TotalSeconds:F1} s");

        using var ingestion = WithKey(app.CreateHttpClient("ingestion", "http"), dataDirectory, "ingest");
        using var response = await ingestion.PostAsJsonAsync(
            "/articles",
            new { title = "China promised Biden it would not interfere in the 2024 election", text, url = ArticleUrl },
            cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var articleId = accepted.GetProperty("articleId").GetString();
        Assert.False(string.IsNullOrEmpty(articleId));

        await app.ResourceNotifications.WaitForResourceHealthyAsync("search", cancellationToken);
        using var search = WithKey(app.CreateHttpClient("search", "http"), dataDirectory, "read");
        var enriched = Stopwatch.StartNew();
        string[] enrichers = [];
        while (enriched.Elapsed < EnrichmentTimeout)
        {
            var results = await search.GetFromJsonAsync<JsonElement>("/search?q=Xi%20Jinping", cancellationToken);
            var hit = results.GetProperty("hits").EnumerateArray()
                .FirstOrDefault(h => h.GetProperty("articleId").GetString() == articleId);
            if (hit.ValueKind == JsonValueKind.Object)
            {
                enrichers = [.. hit.GetProperty("enrichers").EnumerateArray().Select(e => e.GetString()!)];
                if (Enrichers.All(enrichers.Contains))
                {
                    output.WriteLine($"Article {articleId} indexed with [{string.Join(", ", enrichers)}] {enriched.Elapsed.TotalSeconds:F1} s after it was accepted");
                    AssertNothingListensBeyondLoopback([.. Services.Select(service => app.GetEndpoint(service, "http").Port), ports[0], ports[2]]);
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        Assert.Fail($"Within {EnrichmentTimeout.TotalSeconds} s, no search hit for 'Xi Jinping' had article {articleId} with the enrichments [{string.Join(", ", Enrichers)}] (last enrichers seen: [{string.Join(", ", enrichers)}]).");
    }

    /// <summary>
    /// What `ss -ltnp` would show of the running pipeline: every socket of the processes behind the services' and the
    /// broker's known ports (and of their children), and epmd, all on loopback.
    /// </summary>
    void AssertNothingListensBeyondLoopback(int[] knownPorts)
    {
        if (!ListeningSockets.Available)
        {
            return;
        }

        var all = ListeningSockets.Read();
        var owners = all.Where(s => knownPorts.Contains(s.Port) && s.ProcessId is not null).Select(s => s.ProcessId!.Value).Distinct().ToList();
        var tree = owners.SelectMany(ProcessTree.Of).ToHashSet();
        var sockets = all.Where(s => (s.ProcessId is { } pid && tree.Contains(pid)) || (s.Port == 4369 && s.Command == "epmd")).ToList();
        output.WriteLine($"Listening: {string.Join(", ", sockets)}");
        Assert.True(sockets.Count >= 6, $"Expected the five services and the broker among the listeners; found: {string.Join(", ", sockets)}");
        BrokerNodeSocketTests.AssertLoopbackOnly(sockets);
    }

    /// <summary>
    /// The AppHost's arguments for a test: the http launch profile, its own data directory and keys file, and the
    /// broker's AMQP, management and distribution ports (<paramref name="ports"/>, in that order).
    /// </summary>
    internal static string[] Arguments(string dataDirectory, int[] ports, params string[] more) =>
    [
        "DOTNET_LAUNCH_PROFILE=http",
        $"--Pipeline:DataDirectory={dataDirectory}",
        $"--Pipeline:RabbitMQ:AmqpPort={ports[0]}",
        $"--Pipeline:RabbitMQ:ManagementPort={ports[1]}",
        $"--Pipeline:RabbitMQ:DistPort={ports[2]}",
        $"--Pipeline:KeysFile={KeysFile(dataDirectory)}",
        .. more,
    ];

    /// <summary>Where the AppHost under test keeps its API keys: in the test's data directory, never the user's own file.</summary>
    internal static string KeysFile(string dataDirectory) => Path.Combine(dataDirectory, "api-keys.json");

    /// <summary>The client with the AppHost's generated key of that role ("ingest", "read", "admin") in X-Api-Key.</summary>
    internal static HttpClient WithKey(HttpClient client, string dataDirectory, string role)
    {
        var keys = JsonDocument.Parse(File.ReadAllText(KeysFile(dataDirectory))).RootElement;
        client.DefaultRequestHeaders.Add("X-Api-Key", keys.GetProperty(role).GetString());
        return client;
    }

    internal static int[] DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePorts.Next());
        }

        return [.. ports];
    }

    /// <summary>The broker may still be closing its files for a moment after the app is disposed.</summary>
    internal static void DeleteDirectory(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(500);
            }
        }
    }
}
