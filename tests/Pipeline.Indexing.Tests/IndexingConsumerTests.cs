using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Indexing.Consumers;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Tests;

/// <summary>The indexing service's real consumer registration over MassTransit's in-memory test harness and a real Lucene index.</summary>
public sealed class IndexingConsumerTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-index-");

    IHost BuildHost(Func<IArticleIndex, IArticleIndex>? decorate = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
        builder.Configuration["Indexing:BatchTimeLimit"] = "00:00:00.050";
        builder.Configuration["Indexing:StoreRetryMinInterval"] = "00:00:00.020";
        IndexingRegistration.AddIndexingOptions(builder.Services);
        builder.AddArticleIndex();
        if (decorate is not null)
        {
            builder.Services.AddSingleton(sp => decorate(sp.GetRequiredService<Pipeline.SearchStore.Lucene.LuceneArticleIndex>()));
        }

        builder.AddArticleSearch();
        IndexingRegistration.AddIndexWriter(builder.Services);
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            IndexingRegistration.AddIndexingConsumers(bus);

            // A store write with its commit can go quiet on the bus for seconds on a loaded machine; the harness's
            // default (6 s without activity ends a wait) then answered "nothing sent" before the write was done.
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(10));
        });
        return builder.Build();
    }

    static async Task<ArticleDocument?> WaitForAsync(IHost host, string articleId, int enrichers)
    {
        var search = host.Services.GetRequiredService<IArticleSearch>();
        ArticleDocument? document = null;
        for (var attempt = 0; attempt < 200 && document?.CurrentEnrichers.Count() != enrichers; attempt++)
        {
            await Task.Delay(50, Cancel);
            document = await search.GetAsync(articleId, Cancel);
        }

        return document;
    }

    [Fact]
    public async Task Refused_document_goes_to_the_dead_letter_queue_with_the_reason_and_the_rest_of_the_batch_is_indexed()
    {
        using var host = BuildHost();
        await host.StartAsync(Cancel);
        var harness = host.Services.GetTestHarness();
        var good = Messages.Article("good");
        var bad = Messages.Article("bad");
        var malformed = Pipeline.Contracts.EnrichmentPayloads.Create("claims", "1", bad, new { claims = "not a list" }, Messages.T0);

        await harness.Bus.PublishBatch([good, bad], Cancel);
        await harness.Bus.PublishBatch([Messages.Claims(good), malformed], Cancel);

        Assert.True(await harness.Sent.Any<Pipeline.Contracts.IndexingRejected>(Cancel));
        var rejected = harness.Sent.Select<Pipeline.Contracts.IndexingRejected>(Cancel).First().Context;
        Assert.EndsWith("indexing-dead-letter", rejected.DestinationAddress!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("bad", rejected.Message.ArticleId);
        Assert.Contains("'claims' payload", rejected.Message.Reason, StringComparison.Ordinal);
        Assert.Equal("bad", rejected.Message.OriginalMessage.GetProperty("articleId").GetString());
        Assert.Equal(["claims"], (await WaitForAsync(host, "good", 1))!.CurrentEnrichers);
        Assert.False(await harness.Published.Any<Fault>(Cancel));
        await host.StopAsync(Cancel);
    }

    [Fact]
    public async Task Store_outage_makes_the_batch_retry_until_the_store_is_back_and_nothing_is_lost()
    {
        var flaky = (FlakyIndex?)null;
        using var host = BuildHost(inner => flaky = new FlakyIndex(inner, failures: 3));
        await host.StartAsync(Cancel);
        var harness = host.Services.GetTestHarness();
        var article = Messages.Article();

        await harness.Bus.Publish(article, Cancel);

        Assert.NotNull(await WaitForAsync(host, article.ArticleId, 0));
        Assert.Equal(4, flaky!.Calls);
        Assert.False(await harness.Published.Any<Fault>(Cancel));
        await host.StopAsync(Cancel);
    }

    /// <summary>A store that fails its first writes as a disk or a cluster would, then recovers.</summary>
    sealed class FlakyIndex(IArticleIndex inner, int failures) : IArticleIndex
    {
        int _calls;

        public int Calls => _calls;

        public Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new IOException("The store is down.")
                : inner.BeginWriteAsync(messages, cancellationToken);
    }

    [Fact]
    public async Task Article_and_its_enrichments_published_on_the_bus_end_up_in_one_searchable_document()
    {
        using var host = BuildHost();
        await host.StartAsync(Cancel);
        var harness = host.Services.GetTestHarness();
        var article = Messages.Article();

        await harness.Bus.Publish(Messages.Entities(article), Cancel);
        await harness.Bus.Publish(article, Cancel);
        await harness.Bus.Publish(Messages.Claims(article), Cancel);

        var document = await WaitForAsync(host, article.ArticleId, 2);

        Assert.NotNull(document);
        Assert.Equal(["claims", "entities"], document.CurrentEnrichers);
        Assert.False(await harness.Published.Any<Fault>(Cancel));
        await host.StopAsync(Cancel);
    }

    [Fact]
    public async Task Article_message_of_a_type_the_indexer_does_not_know_is_dead_lettered_and_its_batch_still_indexes()
    {
        using var host = BuildHost();
        await host.StartAsync(Cancel);
        var harness = host.Services.GetTestHarness();
        var article = Messages.Article("known");

        await harness.Bus.Publish(new UnknownArticleMessage("stranger"), Cancel);
        await harness.Bus.Publish(article, Cancel);

        Assert.True(await harness.Sent.Any<Pipeline.Contracts.IndexingRejected>(m => m.Context.Message.ArticleId == "stranger", Cancel));
        var rejected = harness.Sent.Select<Pipeline.Contracts.IndexingRejected>(Cancel).First().Context.Message;
        Assert.Contains(nameof(UnknownArticleMessage), rejected.Reason, StringComparison.Ordinal);
        Assert.Equal("stranger", rejected.OriginalMessage.GetProperty("articleId").GetString());
        Assert.NotNull(await WaitForAsync(host, "known", 0));
        Assert.False(await harness.Published.Any<Fault>(Cancel));
        await host.StopAsync(Cancel);
    }

    public sealed record UnknownArticleMessage(string ArticleId) : IArticleMessage;

    [Fact]
    public void The_batch_consumer_reads_the_indexing_queue_with_a_prefetch_that_covers_full_batches()
    {
        var options = new IndexingOptions { BatchMessageLimit = 900, BatchConcurrencyLimit = 2 };
        var definition = new IndexBatchConsumerDefinition(Microsoft.Extensions.Options.Options.Create(options));

        Assert.Equal("indexing", ((IConsumerDefinition)definition).GetEndpointName(KebabCaseEndpointNameFormatter.Instance));
        Assert.Equal(1800, options.EffectivePrefetchCount);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
