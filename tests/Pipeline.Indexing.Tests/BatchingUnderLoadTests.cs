using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.Indexing.Tests;

/// <summary>
/// The indexing service's real registration against a real RabbitMQ node with a backlog waiting. It reads the
/// process-wide batch-size metric, so it runs alone: other tests' batches would be counted too.
/// </summary>
[Collection(nameof(BatchingUnderLoadTests))]
public sealed class BatchingUnderLoadTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-index-");

    IHost BuildIndexer(RabbitMqNode broker, int batchLimit)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration["ConnectionStrings:rabbitmq"] = broker.ConnectionString;
        builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
        builder.Configuration["Indexing:BatchMessageLimit"] = batchLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Indexing:BatchTimeLimit"] = "00:00:01";
        builder.AddIndexing();

        // Start returns once the receive endpoint consumes, so that a quick stop really stops it.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        return builder.Build();
    }

    [Fact]
    public async Task Batches_reach_the_configured_size_when_a_backlog_is_waiting()
    {
        const int batchLimit = 300;
        const int articles = 2_000;
        const int messages = 3 * articles;
        await using var broker = await RabbitMqNode.StartAsync(Cancel);

        // A first start declares the indexing queue and its bindings; the backlog is published while it is down.
        using (var indexer = BuildIndexer(broker, batchLimit))
        {
            await indexer.StartAsync(Cancel);
            await indexer.StopAsync(Cancel);
        }

        var publisher = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(broker.ConnectionString)));
        await publisher.StartAsync(Cancel);
        try
        {
            // As a live pipeline publishes them: each article, then (from the enrichers) its claims and entities.
            await Task.WhenAll(Enumerable.Range(0, articles).Chunk(100).Select(async chunk =>
            {
                var batch = chunk.Select(i => Messages.Article($"a{i}")).ToList();
                await publisher.PublishBatch(batch, Cancel);
                await publisher.PublishBatch(batch.Select(a => Messages.Claims(a)), Cancel);
                await publisher.PublishBatch(batch.Select(a => Messages.Entities(a)), Cancel);
            }));
        }
        finally
        {
            await publisher.StopAsync(Cancel);
        }

        var sizes = new ConcurrentBag<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: IndexingTelemetry.Name, Name: "pipeline.indexing.batch.size" })
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => sizes.Add(size));
        listener.Start();

        using (var indexer = BuildIndexer(broker, batchLimit))
        {
            await indexer.StartAsync(Cancel);
            for (var waited = 0; sizes.Sum() < messages && waited < 600; waited++)
            {
                await Task.Delay(100, Cancel);
            }

            await indexer.StopAsync(Cancel);
        }

        Assert.True(messages == sizes.Sum(), $"Consumed {sizes.Sum()} in batches of {string.Join(", ", sizes)}");
        Assert.Equal(batchLimit, sizes.Max());
        Assert.True(sizes.Count(s => s == batchLimit) >= messages / batchLimit - 1, $"Batch sizes: {string.Join(", ", sizes)}");
    }

    public void Dispose() => _directory.Delete(recursive: true);
}

[CollectionDefinition(nameof(BatchingUnderLoadTests), DisableParallelization = true)]
public sealed class BatchingUnderLoadCollection;
