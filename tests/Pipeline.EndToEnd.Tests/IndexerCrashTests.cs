using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The indexing process killed with SIGKILL in the middle of a stream, then restarted.</summary>
public sealed class IndexerCrashTests : IAsyncLifetime
{
    const int Articles = 3_000;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _index = Directory.CreateTempSubdirectory("pipeline-crash-index-");
    RabbitMqNode _broker = null!;
    Dictionary<string, string> _settings = null!;

    public async ValueTask InitializeAsync()
    {
        _broker = await RabbitMqNode.StartAsync(Cancel);
        _settings = new()
        {
            ["ConnectionStrings:rabbitmq"] = _broker.ConnectionString,
            ["SearchStore:LucenePath"] = _index.FullName,
            ["Indexing:BatchMessageLimit"] = "100",
            ["Indexing:BatchTimeLimit"] = "00:00:00.050",
        };
    }

    [Fact]
    public async Task Every_article_is_in_the_index_exactly_once_with_both_enrichments_after_the_indexer_is_killed_mid_stream()
    {
        var indexer = await ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly("Pipeline.Indexing"), _settings, Cancel);
        await using var search = await ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly("Pipeline.Search"), _settings, Cancel);
        using var http = search.CreateClient();

        var publisher = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(_broker.ConnectionString)));
        await publisher.StartAsync(Cancel);
        var publishing = PublishStreamAsync(publisher);

        // Kill it once part of the stream is indexed and more is in flight.
        while (await TotalAsync(http) < Articles / 5)
        {
            await Task.Delay(20, Cancel);
        }

        await indexer.KillAsync();
        var indexedAtCrash = await TotalAsync(http);
        await publishing;
        await publisher.StopAsync(Cancel);

        await using var restarted = await ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly("Pipeline.Indexing"), _settings, Cancel);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await TotalAsync(http) < Articles && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Cancel);
        }

        Assert.True(indexedAtCrash < Articles, "The kill came after the whole stream was indexed, so it proved nothing.");
        Assert.Equal(Articles, await TotalAsync(http));
        for (var i = 0; i < Articles; i++)
        {
            var article = await http.GetFromJsonAsync<JsonElement>($"/articles/{Id(i)}", Cancel);
            var enrichments = article.GetProperty("enrichments");
            Assert.True(enrichments.GetProperty("claims").GetProperty("current").GetBoolean(), Id(i));
            Assert.True(enrichments.GetProperty("entities").GetProperty("current").GetBoolean(), Id(i));
        }

        await indexer.DisposeAsync();
    }

    static string Id(int i) => i.ToString("x32", CultureInfo.InvariantCulture);

    static async Task PublishStreamAsync(IBus publisher)
    {
        foreach (var chunk in Enumerable.Range(0, Articles).Chunk(100))
        {
            var messages = new List<IArticleMessage>();
            foreach (var i in chunk)
            {
                var text = $"Article {i}: the ministry said on Tuesday that {i % 97} officials met in Geneva to discuss election security.";
                var article = new ArticleIngested
                {
                    ArticleId = Id(i),
                    Title = $"Article {i}",
                    Text = text,
                    ContentHash = ArticleIdentity.ContentHash(text),
                    IngestedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                };
                messages.Add(article);
                messages.Add(EnrichmentPayloads.Create(ClaimsPayload.EnricherName, "1", article, new ClaimsPayload { Claims = [], Tagger = "test" }, article.IngestedAt));
                messages.Add(EnrichmentPayloads.Create(EntitiesPayload.EnricherName, "1", article, new EntitiesPayload { Mentions = [], EntityIds = ["Q11990"], Linker = "test" }, article.IngestedAt));
            }

            await Task.WhenAll(
                publisher.PublishBatch(messages.OfType<ArticleIngested>(), Cancel),
                publisher.PublishBatch(messages.OfType<ArticleEnriched>(), Cancel));
        }
    }

    static async Task<long> TotalAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/search?size=1", Cancel)).GetProperty("total").GetInt64();

    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        IndexDirectories.Delete(_index);
    }
}
