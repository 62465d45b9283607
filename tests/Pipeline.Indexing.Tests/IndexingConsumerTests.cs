using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Indexing.Consumers;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Tests;

/// <summary>The indexing service's real consumer registration over MassTransit's in-memory test harness and a real Lucene index.</summary>
public sealed class IndexingConsumerTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-index-");

    IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
        builder.Configuration["Indexing:BatchTimeLimit"] = "00:00:00.050";
        IndexingRegistration.AddIndexingOptions(builder.Services);
        builder.AddArticleIndex();
        builder.AddArticleSearch();
        builder.Services.AddMassTransitTestHarness(IndexingRegistration.AddIndexingConsumers);
        return builder.Build();
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

        Assert.True(await harness.Consumed.Any<Pipeline.Contracts.ArticleEnriched>(Cancel));
        var search = host.Services.GetRequiredService<IArticleSearch>();
        ArticleDocument? document = null;
        for (var attempt = 0; attempt < 100 && document?.CurrentEnrichers.Count() != 2; attempt++)
        {
            await Task.Delay(50, Cancel);
            document = await search.GetAsync(article.ArticleId, Cancel);
        }

        Assert.NotNull(document);
        Assert.Equal(["claims", "entities"], document.CurrentEnrichers);
        Assert.False(await harness.Published.Any<Fault>(Cancel));
        await host.StopAsync(Cancel);
    }

    [Fact]
    public void Both_batch_consumers_share_the_indexing_queue_with_a_prefetch_that_covers_full_batches()
    {
        var options = new IndexingOptions { BatchMessageLimit = 300, BatchConcurrencyLimit = 2 };
        var definition = new IndexBatchConsumerDefinition<ArticleIngestedBatchConsumer>(Microsoft.Extensions.Options.Options.Create(options));

        Assert.Equal("indexing", ((IConsumerDefinition)definition).GetEndpointName(KebabCaseEndpointNameFormatter.Instance));
        Assert.Equal(1200, options.EffectivePrefetchCount);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
