using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Indexing.Operations;
using Pipeline.Messaging;
using Pipeline.Messaging.Broker;
using Pipeline.Processes;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;
using RabbitMQ.Client;

namespace Pipeline.Indexing.Tests;

/// <summary>
/// The operator's endpoints of the indexing service (what the dashboard commands call), on real Kestrel, with the
/// service's real registration, a real RabbitMQ node and a real Lucene index on disk.
/// </summary>
public sealed class IndexingOperationsTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("pipeline-index-");

    static readonly EnrichmentField[] RatingField = [new() { Name = "rating", Path = "rating", Uses = EnrichmentFieldUses.Filterable }];

    Task<LoopbackWebApp> StartIndexingAsync(RabbitMqNode broker) =>
        LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["ConnectionStrings:rabbitmq"] = broker.ConnectionString;
                builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
                builder.AddServiceDefaults();
                builder.AddIndexing();
                builder.AddIndexingOperations();
                builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);

                // As in Development (how the AppHost runs it): a singleton holding a scoped service fails here.
                builder.Host.UseDefaultServiceProvider(o =>
                {
                    o.ValidateOnBuild = true;
                    o.ValidateScopes = true;
                });
            },
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapIndexingOperations();
            });

    async Task WriteAsync(params IArticleMessage[] messages)
    {
        using var index = new LuceneArticleIndex(Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName }));
        Assert.Empty(await index.WriteAsync(messages, Cancel));
    }

    static async Task<List<JsonElement>> DrainQueueAsync(RabbitMqNode broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        var messages = new List<JsonElement>();
        while (await channel.BasicGetAsync(queue, autoAck: true, Cancel) is { } delivery)
        {
            messages.Add(JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message").Clone());
        }

        return messages;
    }

    /// <summary>Declares the queue as the pipeline's services do (quorum, by default), so that their own declarations agree.</summary>
    static async Task DeclareQueueAsync(RabbitMqNode broker, string queue, PipelineQueueRole role = PipelineQueueRole.Consumer)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await PipelineQueues.DeclareAsync(connection, queue, role, new MessagingOptions(), Cancel);
    }

    [Fact]
    public async Task Rerun_sends_only_the_filtered_articles_to_only_that_enrichers_queue()
    {
        var a = Messages.Article("a") with { Source = "one.example" };
        var b = Messages.Article("b") with { Source = "two.example" };
        var c = Messages.Article("c") with { Source = "two.example" };
        await WriteAsync(a, b, c, Messages.Entities(a, "1.0.0"), Messages.Entities(b, "1.0.0"), Messages.Entities(c, "2.0.0"));
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        await DeclareQueueAsync(broker, "entities-enricher");
        await DeclareQueueAsync(broker, "claims-enricher");
        await using var indexing = await StartIndexingAsync(broker);

        using var bySource = await indexing.Client.PostAsync("/admin/enrichers/entities/rerun?source=two.example", null, Cancel);
        var fromSource = await DrainQueueAsync(broker, "entities-enricher");
        using var byVersion = await indexing.Client.PostAsync("/admin/enrichers/entities/rerun?olderThan=2.0.0", null, Cancel);
        var fromVersion = await DrainQueueAsync(broker, "entities-enricher");

        Assert.Equal(HttpStatusCode.OK, bySource.StatusCode);
        Assert.Equal(2, (await bySource.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("articles").GetInt64());
        Assert.Equal(["b", "c"], fromSource.Select(m => m.GetProperty("articleId").GetString()).Order());
        Assert.Equal(["a", "b"], fromVersion.Select(m => m.GetProperty("articleId").GetString()).Order());
        Assert.Equal(a.Text, fromVersion.First(m => m.GetProperty("articleId").GetString() == "a").GetProperty("text").GetString());
        Assert.Empty(await DrainQueueAsync(broker, "claims-enricher"));
    }

    [Fact]
    public async Task Rerun_with_a_bad_enricher_name_is_a_400_naming_the_field()
    {
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        await using var indexing = await StartIndexingAsync(broker);

        using var response = await indexing.Client.PostAsync("/admin/enrichers/Not%20Valid/rerun", null, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Rerun_of_an_unknown_enricher_is_a_404_naming_the_known_ones_and_leaves_no_queue_behind()
    {
        var a = Messages.Article("a");
        await WriteAsync(a);
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        await DeclareQueueAsync(broker, "third-party-enricher"); // an enricher the AppHost does not know, running on its own
        await using var indexing = await StartIndexingAsync(broker);

        using var unknown = await indexing.Client.PostAsync("/admin/enrichers/nobody/rerun", null, Cancel);
        using var onTheBroker = await indexing.Client.PostAsync("/admin/enrichers/third-party/rerun", null, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(["claims", "entities"], problem.GetProperty("knownEnrichers").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("nobody", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await QueueExistsAsync(broker, "nobody-enricher"));

        Assert.Equal(HttpStatusCode.OK, onTheBroker.StatusCode);
        Assert.Equal(["a"], (await DrainQueueAsync(broker, "third-party-enricher")).Select(m => m.GetProperty("articleId").GetString()));
    }

    static async Task<bool> QueueExistsAsync(RabbitMqNode broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        return await BrokerQueues.ExistsAsync(connection, queue, Cancel) is not null;
    }

    /// <summary>
    /// An index written before its documents' declared fields were indexed (here: a document with only its id and stored
    /// source, as an older version wrote it) becomes filterable by those fields after a rebuild, with nothing duplicated.
    /// </summary>
    [Fact]
    public async Task Rebuild_rewrites_every_document_from_its_stored_source_with_the_current_fields()
    {
        var a = Messages.Article("a");
        var enriched = EnrichmentPayloads.Create("credibility", "1.0.0", a, new { rating = "low" }, Messages.T0) with { Fields = RatingField };
        var stored = DocumentMerge.Apply(null, "a", [a, enriched]);
        using (var directory = FSDirectory.Open(_directory.FullName))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, null)))
        {
            writer.AddDocument(new Document
            {
                new StringField(LuceneFields.Id, "a", Field.Store.YES),
                new StringField(LuceneFields.HasArticle, "true", Field.Store.NO),
                new StoredField(LuceneFields.StoredSource, JsonSerializer.Serialize(stored, new JsonSerializerOptions(JsonSerializerDefaults.Web))),
            });
            writer.Commit();
        }

        var filter = EnrichmentFieldIndexing.Filter("credibility", RatingField[0], "low");
        Assert.Equal(0, Count(filter));
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        await using var indexing = await StartIndexingAsync(broker);

        using var response = await indexing.Client.PostAsync("/admin/index/rebuild", null, Cancel);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(1, result.GetProperty("articles").GetInt64());
        Assert.Equal(2, result.GetProperty("messages").GetInt64());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Count(filter) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Cancel);
        }

        Assert.Equal(1, Count(filter));
        Assert.Equal(1, Count(new MatchAllDocsQuery()));
    }

    int Count(Query query)
    {
        using var directory = FSDirectory.Open(_directory.FullName);
        using var reader = DirectoryReader.Open(directory);
        return new IndexSearcher(reader).Search(query, 10).TotalHits;
    }

    [Fact]
    public async Task Store_health_is_unhealthy_naming_the_path_when_it_cannot_be_written_or_the_disk_is_nearly_full()
    {
        var notADirectory = Path.Combine(_directory.FullName, "file");
        await File.WriteAllTextAsync(notADirectory, "x", Cancel);

        var unwritable = await new LuceneStoreWritableHealthCheck(notADirectory, 0).CheckHealthAsync(new HealthCheckContext(), Cancel);
        var full = await new LuceneStoreWritableHealthCheck(_directory.FullName, 1_000_000_000).CheckHealthAsync(new HealthCheckContext(), Cancel);
        var fine = await new LuceneStoreWritableHealthCheck(_directory.FullName, 0).CheckHealthAsync(new HealthCheckContext(), Cancel);

        Assert.Equal(HealthStatus.Unhealthy, unwritable.Status);
        Assert.Contains(notADirectory, unwritable.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, full.Status);
        Assert.Contains("MB free", full.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, fine.Status);
    }

    [Fact]
    public async Task Indexing_health_reports_dead_letters_and_then_an_unreachable_broker_with_the_reason()
    {
        var broker = await RabbitMqNode.StartAsync(Cancel);
        var stopped = false;
        try
        {
            await using var indexing = await StartIndexingAsync(broker);
            await DeclareQueueAsync(broker, "indexing_error", PipelineQueueRole.Parking);
            var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
            await using (var connection = await factory.CreateConnectionAsync(Cancel))
            await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancel))
            {
                await channel.BasicPublishAsync("", "indexing_error", Encoding.UTF8.GetBytes("{}"), Cancel);
            }

            var monitor = indexing.Services.GetRequiredService<QueueDepthMonitor>();
            await monitor.PollAsync(Cancel);
            var gauges = ReadGauges("pipeline.queue.dead_letters");
            var degraded = await indexing.Client.GetFromJsonAsync<JsonElement>("/health", Cancel);

            await broker.DisposeAsync();
            stopped = true;
            await monitor.PollAsync(Cancel);
            using var down = await indexing.Client.GetAsync("/health", Cancel);
            var body = await down.Content.ReadFromJsonAsync<JsonElement>(Cancel);

            Assert.Equal(1, monitor.Depths["indexing_error"].Messages);
            Assert.Equal(1, gauges["indexing_error"]);
            Assert.DoesNotContain("indexing", gauges.Keys);
            Assert.Equal("Degraded", degraded.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
            Assert.Contains("indexing_error 1", degraded.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Contains("RabbitMQ is unreachable", body.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!stopped)
            {
                await broker.DisposeAsync();
            }
        }
    }

    /// <summary>The current values of an observable gauge of the operations meter, by its queue tag.</summary>
    static Dictionary<string, long> ReadGauges(string name)
    {
        var values = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == QueueDepthMonitor.MeterName && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "queue")
                {
                    values[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task The_admin_endpoints_need_the_admin_key_a_read_key_is_forbidden_and_health_needs_none()
    {
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        await using var indexing = await StartIndexingAsync(broker);
        using var anonymous = indexing.CreateClient(apiKey: null);
        using var read = indexing.CreateClient(TestApiKeys.Read);

        foreach (var path in new[] { "/admin/enrichers/claims/rerun", "/admin/index/rebuild" })
        {
            using var missing = await anonymous.PostAsync(path, null, Cancel);
            using var forbidden = await read.PostAsync(path, null, Cancel);

            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Contains("Auth:AdminKeys", (await forbidden.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive", Cancel)).StatusCode);
    }
}
