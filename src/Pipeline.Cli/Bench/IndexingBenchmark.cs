using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Processes;
using RabbitMQ.Client;
using Spectre.Console;

namespace Pipeline.Cli.Bench;

/// <summary>
/// `pipeline bench indexing`: the indexing path against its raw ceilings, measured in one run on this machine with
/// one throwaway RabbitMQ node. See docs/benchmarks.md for what each row means.
/// </summary>
public sealed class IndexingBenchmark(BenchCorpus corpus, IndexingBenchmarkSettings settings, IAnsiConsole console)
{
    const string IndexingQueue = QueueNames.Indexing;

    public async Task<IndexingBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new IndexingBenchmarkReport
        {
            Articles = settings.Articles,
            SourceArticles = corpus.SourceArticles,
            DrainArticles = settings.DrainArticles,
            LoadAtStart = ProcessStats.LoadAverage(),
        };
        var work = Directory.CreateTempSubdirectory("pipeline-bench-");
        await using var broker = await RabbitMqNode.StartAsync(cancellationToken);
        await using var connection = await RawBroker.ConnectAsync(broker.ConnectionString);
        try
        {
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    if (settings.Runs("c1"))
                    {
                        await RawBrokerAsync(connection, report, progress.AddTask("C1 raw broker", maxValue: 2 * settings.Messages));
                    }

                    if (settings.Runs("c2"))
                    {
                        RawStoreRun(work.FullName, report, progress.AddTask("C2 raw Lucene", maxValue: 1));
                    }

                    if (settings.Runs("c3"))
                    {
                        await RawPathAsync(broker, connection, work.FullName, report, progress.AddTask("C3 raw path", maxValue: settings.Articles));
                    }

                    if (settings.Runs("e"))
                    {
                        await ServicePathAsync(broker, connection, work.FullName, report, progress.AddTask("E  indexing service", maxValue: settings.Articles), cancellationToken);
                    }

                    if (settings.Runs("latency"))
                    {
                        await LatencyAsync(broker, connection, work.FullName, report, progress.AddTask("latency at a fixed rate", maxValue: settings.LatencySeconds), cancellationToken);
                    }

                    if (settings.Runs("drain"))
                    {
                        await DrainAsync(broker, connection, work.FullName, report, progress.AddTask($"drain {settings.DrainMessages:N0} messages", maxValue: settings.DrainArticles), cancellationToken);
                    }
                });
        }
        finally
        {
            work.Delete(recursive: true);
        }

        report.LoadAtEnd = ProcessStats.LoadAverage();
        return report;
    }

    /// <summary>Each article's three messages in the order a live pipeline produces them: a block of articles, then their enrichments.</summary>
    IEnumerable<byte[]> Envelopes(int articles)
    {
        const int Block = 100;
        for (var start = 0; start < articles; start += Block)
        {
            var block = Enumerable.Range(start, Math.Min(Block, articles - start)).Select(i => corpus.Messages(i)).ToList();
            foreach (var (article, _, _) in block)
            {
                yield return BenchCorpus.Envelope(article, Guid.NewGuid().ToString());
            }

            foreach (var (_, claims, _) in block)
            {
                yield return BenchCorpus.Envelope(claims, Guid.NewGuid().ToString());
            }

            foreach (var (_, _, entities) in block)
            {
                yield return BenchCorpus.Envelope(entities, Guid.NewGuid().ToString());
            }
        }
    }

    async Task RawBrokerAsync(IConnection connection, IndexingBenchmarkReport report, ProgressTask task)
    {
        const string queue = "bench-c1";
        await RawBroker.DeclareQueueAsync(connection, queue, purge: true);
        long bytes = 0;
        var bodies = Envelopes(settings.Articles).Select(b =>
        {
            bytes += b.Length;
            return b;
        });
        report.RawPublish = await RawBroker.PublishAsync(connection, queue, bodies, n => task.Increment(n));
        report.RawBytes = bytes;
        report.RawConsume = await RawBroker.ConsumeAsync(connection, queue, settings.Messages, settings.Prefetch);
        task.Increment(settings.Messages);
        await RawBroker.DeleteQueueAsync(connection, queue);
    }

    void RawStoreRun(string work, IndexingBenchmarkReport report, ProgressTask task)
    {
        var documents = Enumerable.Range(0, settings.Articles).Select(corpus.Document).ToList();
        report.RawStore = RawStore.Index(Path.Combine(work, "c2"), documents);
        task.Increment(1);
    }

    async Task RawPathAsync(RabbitMqNode broker, IConnection connection, string work, IndexingBenchmarkReport report, ProgressTask task)
    {
        const string queue = "bench-c3";
        await RawBroker.DeclareQueueAsync(connection, queue, purge: true);
        await RawBroker.PublishAsync(connection, queue, Envelopes(settings.Articles));
        var path = Path.Combine(work, "c3");
        await using (var raw = new RawPath(path))
        {
            var cpu = CpuNow(broker, Environment.ProcessId);
            report.RawPath = await WatchAsync(path, settings.Articles, task, raw.RunAsync(connection, queue, settings.Messages, settings.Prefetch));
            report.RawPathCpu = CpuNow(broker, Environment.ProcessId) - cpu;
        }

        await RawBroker.DeleteQueueAsync(connection, queue);
    }

    async Task ServicePathAsync(RabbitMqNode broker, IConnection connection, string work, IndexingBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        var (elapsed, peak, cpu) = await DrainThroughServiceAsync(broker, connection, Path.Combine(work, "e"), settings.Articles, task, cancellationToken);
        report.ServicePath = elapsed;
        report.ServicePeakRss = peak;
        report.ServicePathCpu = cpu;
    }

    async Task DrainAsync(RabbitMqNode broker, IConnection connection, string work, IndexingBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        var (elapsed, peak, _) = await DrainThroughServiceAsync(broker, connection, Path.Combine(work, "drain"), settings.DrainArticles, task, cancellationToken);
        report.Drain = elapsed;
        report.DrainPeakRss = peak;
    }

    /// <summary>
    /// The indexing service declares its queue, stops, the backlog is published, and the service is started again and
    /// timed from its first searchable article to its last (so its process start-up is not counted).
    /// </summary>
    async Task<(TimeSpan Elapsed, long PeakRss, CpuUse Cpu)> DrainThroughServiceAsync(
        RabbitMqNode broker, IConnection connection, string indexPath, int articles, ProgressTask task, CancellationToken cancellationToken)
    {
        var serviceSettings = ServiceSettings(broker, indexPath);
        await using (await ServiceProcess.StartAsync(IndexingAssembly, serviceSettings, cancellationToken))
        {
        }

        await RawBroker.DeclareQueueAsync(connection, IndexingQueue, purge: true);
        await RawBroker.PublishAsync(connection, IndexingQueue, Envelopes(articles));
        await using var service = await ServiceProcess.StartAsync(IndexingAssembly, serviceSettings, cancellationToken);
        var cpu = CpuNow(broker, service.ProcessId);
        var elapsed = await WatchAsync(indexPath, articles, task, Task.CompletedTask);
        var used = CpuNow(broker, service.ProcessId) - cpu;
        var peak = service.PeakResidentBytes();
        return (elapsed, peak, used);
    }

    async Task LatencyAsync(RabbitMqNode broker, IConnection connection, string work, IndexingBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        var indexPath = Path.Combine(work, "latency");
        report.LatencyRate = settings.LatencyRate > 0 ? settings.LatencyRate : Math.Max(1, report.ServiceArticlesPerSecond / 2);
        await RawBroker.DeclareQueueAsync(connection, IndexingQueue, purge: true);
        await using var service = await ServiceProcess.StartAsync(IndexingAssembly, ServiceSettings(broker, indexPath), cancellationToken);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { Persistent = true, ContentType = RawBroker.EnvelopeContentType };

        var published = new Dictionary<string, long>(StringComparer.Ordinal);
        var latencies = new List<double>();
        using var watcher = new IndexWatcher(indexPath);
        var clock = Stopwatch.StartNew();
        var total = (int)(report.LatencyRate * settings.LatencySeconds);
        var sent = 0;
        var pending = new List<Task>();
        while (sent < total || latencies.Count < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * report.LatencyRate));
            for (; sent < due; sent++)
            {
                var (article, claims, entities) = corpus.Messages(settings.Articles + sent, DateTimeOffset.UtcNow);
                lock (published)
                {
                    published[article.ArticleId] = Stopwatch.GetTimestamp();
                }

                foreach (var message in new IArticleMessage[] { article, claims, entities })
                {
                    pending.Add(channel.BasicPublishAsync("", IndexingQueue, false, properties, BenchCorpus.Envelope(message, Guid.NewGuid().ToString())).AsTask());
                }
            }

            await Task.WhenAll(pending);
            pending.Clear();
            var now = Stopwatch.GetTimestamp();
            foreach (var id in watcher.Poll())
            {
                lock (published)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(published[id], now).TotalMilliseconds);
                }
            }

            task.Value = Math.Min(settings.LatencySeconds, clock.Elapsed.TotalSeconds);
            if (clock.Elapsed > TimeSpan.FromSeconds(settings.LatencySeconds + 60))
            {
                throw new TimeoutException($"Only {latencies.Count} of {total} articles became searchable within 60 s after the last publish.");
            }

            await Task.Delay(5, cancellationToken);
        }

        latencies.Sort();
        report.Latencies = latencies;
    }

    static async Task<TimeSpan> WatchAsync(string indexPath, int articles, ProgressTask task, Task consumer)
    {
        using var watcher = new IndexWatcher(indexPath);
        long first = 0;
        var lastProgress = DateTime.UtcNow;
        while (watcher.CompleteCount < articles)
        {
            if (consumer.IsFaulted)
            {
                await consumer;
            }

            var found = watcher.Poll().Count;
            if (found > 0)
            {
                if (first == 0)
                {
                    first = Stopwatch.GetTimestamp();
                }

                task.Increment(found);
                lastProgress = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastProgress > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"No progress for 120 s at {watcher.CompleteCount} of {articles} articles.");
            }

            await Task.Delay(5);
        }

        await consumer;
        return Stopwatch.GetElapsedTime(first);
    }

    /// <summary>CPU seconds used so far by the indexer (the service, or this process for C3) and by the broker.</summary>
    static CpuUse CpuNow(RabbitMqNode broker, int indexer) => new(ProcessStats.CpuSeconds(indexer), ProcessStats.CpuSeconds(broker.ProcessId));

    Dictionary<string, string> ServiceSettings(RabbitMqNode broker, string indexPath) => new()
    {
        ["ConnectionStrings:rabbitmq"] = broker.ConnectionString,
        ["SearchStore:LucenePath"] = indexPath,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    static string IndexingAssembly => RepositoryLayout.ServiceAssembly("Pipeline.Indexing");
}
