using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.AppHost.Tests;

/// <summary>
/// The AppHost as <c>./run</c> starts it: the fact-check sample enricher's output is searchable and filterable, and the
/// dashboard commands, run through Aspire's <see cref="ResourceCommandService"/> as the dashboard runs them, have
/// their effect on the running services.
/// </summary>
public sealed class OperationsAppHostTests(ITestOutputHelper output)
{
    const string FactCheckId = "vclaim-sno-10-meter-anaconda";
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    static readonly string[] Services = ["ingestion", "claim-tagging", "entity-linking", "fact-checking", "indexing", "search"];

    [Fact]
    public async Task Sample_enricher_output_is_searchable_and_filterable_and_the_dashboard_commands_work()
    {
        RepositoryPaths.RequireSharedFile("factchecks/snopes-vclaims.jsonl");
        var dataDirectory = System.IO.Directory.CreateTempSubdirectory("pipeline-apphost-ops-").FullName;
        try
        {
            await RunAsync(dataDirectory);
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }

    async Task RunAsync(string dataDirectory)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var cancel = timeout.Token;
        var p = PipelineAppHostTests.DistinctFreePorts(3);
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
            [
                "DOTNET_LAUNCH_PROFILE=http",
                $"--Pipeline:DataDirectory={dataDirectory}",
                $"--Pipeline:RabbitMQ:AmqpPort={p[0]}",
                $"--Pipeline:RabbitMQ:ManagementPort={p[1]}",
                $"--Pipeline:RabbitMQ:DistPort={p[2]}",
                $"--Pipeline:KeysFile={PipelineAppHostTests.KeysFile(dataDirectory)}",
            ],
            cancel);
        await using var app = await builder.BuildAsync(cancel);
        var logs = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var service in Services)
        {
            _ = Task.Run(async () =>
            {
                await foreach (var batch in loggers.WatchAsync(service).WithCancellation(cancel))
                {
                    foreach (var line in batch)
                    {
                        logs.Enqueue($"[{service}] {line.Content}");
                    }
                }
            }, cancel);
        }

        await app.StartAsync(cancel);
        try
        {
            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, cancel);
            }
        }
        catch (DistributedApplicationException)
        {
            output.WriteLine(string.Join("\n", logs.TakeLast(200)));
            throw;
        }

        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        using var ingestion = PipelineAppHostTests.WithKey(app.CreateHttpClient("ingestion", "http"), dataDirectory, "ingest");
        using var search = PipelineAppHostTests.WithKey(app.CreateHttpClient("search", "http"), dataDirectory, "read");

        // Authentication is on with the generated keys: no key is a 401 everywhere; the read key on an admin endpoint, or
        // on ingestion, is a 403; health needs no key (the dashboard's probes).
        using (var anonymousIngestion = app.CreateHttpClient("ingestion", "http"))
        using (var anonymousSearch = app.CreateHttpClient("search", "http"))
        using (var anonymousIndexing = app.CreateHttpClient("indexing", "http"))
        using (var readOnIndexing = PipelineAppHostTests.WithKey(app.CreateHttpClient("indexing", "http"), dataDirectory, "read"))
        using (var readOnIngestion = PipelineAppHostTests.WithKey(app.CreateHttpClient("ingestion", "http"), dataDirectory, "read"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousIngestion.PostAsJsonAsync("/articles", Article(), cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousSearch.GetAsync("/search?q=x", cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousIndexing.PostAsync("/admin/index/rebuild", null, cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await readOnIndexing.PostAsync("/admin/index/rebuild", null, cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await readOnIngestion.PostAsync("/admin/ingestion/pause", null, cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymousSearch.GetAsync("/health", cancel)).StatusCode);
        }

        // Pause: submissions are refused with 503 and nothing is accepted; resume: accepted again.
        Assert.True((await commands.ExecuteCommandAsync("ingestion", "pause-ingestion", cancel)).Success);
        using (var refused = await ingestion.PostAsJsonAsync("/articles", Article(), cancel))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        Assert.True((await commands.ExecuteCommandAsync("ingestion", "resume-ingestion", cancel)).Success);
        using var accepted = await ingestion.PostAsJsonAsync("/articles", Article(), cancel);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var articleId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("articleId").GetString()!;

        // The sample enricher's declared fields: full text through the search API, exact filter in the store.
        var clock = Stopwatch.StartNew();
        var hit = await WaitForAsync(async () =>
        {
            var results = await search.GetFromJsonAsync<JsonElement>("/search?q=enrichment.fact-checks.claim:anaconda", cancel);
            // All three enrichments in, so that the re-run below is compared with settled payloads.
            return results.GetProperty("hits").EnumerateArray()
                .Where(h => h.GetProperty("articleId").GetString() == articleId)
                .Where(h => h.GetProperty("enrichers").EnumerateArray().Count() == 3)
                .Select(h => (JsonElement?)h).FirstOrDefault();
        }, cancel);
        output.WriteLine($"fact-check match searchable, with every enrichment, {clock.Elapsed.TotalSeconds:F1} s after acceptance");
        Assert.Equal(["claims", "entities", "fact-checks"], hit.GetProperty("enrichers").EnumerateArray().Select(e => e.GetString()).Order());
        var idField = new EnrichmentField { Name = "id", Path = "matches.factCheckId", Uses = EnrichmentFieldUses.Filterable };
        Assert.Equal([articleId], StoreIds(dataDirectory, EnrichmentFieldIndexing.Filter("fact-checks", idField, FactCheckId)));
        Assert.Empty(StoreIds(dataDirectory, EnrichmentFieldIndexing.Filter("fact-checks", idField, "vclaim-sno-something-else")));
        var before = await ProducedAtAsync(search, articleId, cancel);

        // Re-run one enricher: only its payload is produced again.
        var claimsBefore = await ProducedAtAsync(search, articleId, cancel, "claims");
        var rerun = await commands.ExecuteCommandAsync("fact-checking", "rerun-enricher", cancel);
        Assert.True(rerun.Success, rerun.Message);
        output.WriteLine($"re-run: {rerun.Message}");
        await WaitForAsync(async () => await ProducedAtAsync(search, articleId, cancel) > before ? (JsonElement?)default(JsonElement) : null, cancel);
        Assert.Equal(claimsBefore, await ProducedAtAsync(search, articleId, cancel, "claims"));

        // Rebuild: every stored document rewritten; still exactly one document, still filterable.
        var rebuild = await commands.ExecuteCommandAsync("indexing", "rebuild-index", cancel);
        Assert.True(rebuild.Success, rebuild.Message);
        output.WriteLine($"rebuild: {rebuild.Message}");
        Assert.Equal([articleId], StoreIds(dataDirectory, new MatchAllDocsQuery()));

        // Replay of an empty error queue succeeds and says so.
        var replay = await commands.ExecuteCommandAsync("claim-tagging", "replay-errors", cancel);
        Assert.True(replay.Success, replay.Message);
        Assert.StartsWith("0 messages moved", replay.Message, StringComparison.Ordinal);

        // Replay of the indexing dead letters, through the indexing service's admin endpoint: none waiting, none replayed.
        var deadLetters = await commands.ExecuteCommandAsync("indexing", "replay-dead-letters", cancel);
        Assert.True(deadLetters.Success, deadLetters.Message);
        output.WriteLine($"dead-letter replay: {deadLetters.Message}");
    }

    static object Article() => new
    {
        url = "https://example.com/2021/03/anaconda",
        title = "Giant snake video goes viral",
        text = "Users on social media claimed that a viral video shows a 10-meter-long anaconda swimming across a river in Brazil. Experts said the footage was old.",
    };

    static async Task<DateTimeOffset> ProducedAtAsync(HttpClient search, string articleId, CancellationToken cancel, string enricher = "fact-checks")
    {
        var article = await search.GetFromJsonAsync<JsonElement>($"/articles/{articleId}", cancel);
        return article.GetProperty("enrichments").GetProperty(enricher).GetProperty("producedAt").GetDateTimeOffset();
    }

    static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe, CancellationToken cancel)
    {
        while (true)
        {
            try
            {
                if (await probe() is { } found)
                {
                    return found;
                }
            }
            catch (HttpRequestException)
            {
                // 404 until the article is indexed
            }
            catch (KeyNotFoundException)
            {
                // the enrichment has not arrived yet
            }

            await Task.Delay(250, cancel);
        }
    }

    static string[] StoreIds(string dataDirectory, Query query)
    {
        using var directory = FSDirectory.Open(Path.Combine(dataDirectory, "index"));
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        return [.. searcher.Search(query, 10).ScoreDocs.Select(d => LuceneFields.FromLucene(searcher.Doc(d.Doc)).ArticleId)];
    }
}
