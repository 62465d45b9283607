using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Cli.Import;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Processes;
using RabbitMQ.Client;
using Spectre.Console;

namespace Pipeline.Cli.Bench;

/// <summary>What <c>pipeline bench pipeline</c> measures, and how much.</summary>
/// <param name="Articles">Articles submitted in the end-to-end row.</param>
/// <param name="StageArticles">Articles each stage processes alone.</param>
/// <param name="LatencySeconds">Length of the fixed-rate latency row.</param>
/// <param name="LatencyRate">Articles/s of the latency row; 0 = half of the end-to-end rate.</param>
/// <param name="Replicas">Processes of each enricher (competing consumers on its queue).</param>
public sealed record PipelineBenchmarkSettings(int Articles, int StageArticles, int LatencySeconds, double LatencyRate, int Replicas = 1);

/// <summary>
/// `pipeline bench pipeline`: the whole pipeline as one, every service its own process from its Release build,
/// configured as the AppHost configures it, with a throwaway broker node and Lucene index. Measures, in one run: the
/// end-to-end rate (NDJSON into the ingestion API until every article is searchable with all three enrichments), the
/// ingest-to-searchable latency at a fixed rate of half that, each stage alone on a pre-filled queue (the ceilings that
/// show which stage bounds the whole), and the peak RSS and CPU seconds of every process. See docs/benchmarks.md.
/// </summary>
public sealed class PipelineBenchmark(IngestionCorpus corpus, PipelineBenchmarkSettings settings, IAnsiConsole console)
{
    const string Indexing = PipelineServices.Indexing;
    const string Ingestion = PipelineServices.Ingestion;
    static readonly TimeSpan NoProgressLimit = TimeSpan.FromSeconds(180);

    static (string Name, string Project)[] Enrichers => PipelineServices.Enrichers;

    static string[] EnricherNames => PipelineServices.EnricherNames;

    public async Task<PipelineBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new PipelineBenchmarkReport
        {
            Articles = settings.Articles,
            StageArticles = settings.StageArticles,
            SourceArticles = corpus.SourceArticles,
            Replicas = settings.Replicas,
            LoadAtStart = ProcessStats.LoadAverage(),
        };
        var work = Directory.CreateTempSubdirectory("pipeline-bench-pipeline-");
        try
        {
            await using var broker = await RabbitMqNode.StartAsync(cancellationToken);
            await using var connection = await RawBroker.ConnectAsync(broker.ConnectionString);
            await using var services = new PipelineServices(broker.ConnectionString, work.FullName);
            var indexPath = services.IndexPath;

            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var starting = progress.AddTask("starting the services", maxValue: 2 + (Enrichers.Length * settings.Replicas));
                    await services.StartAsync(settings.Replicas, () => starting.Increment(1), cancellationToken);

                    await EndToEndAsync(broker, services, indexPath, report, progress.AddTask($"end to end, {settings.Articles:N0} articles", maxValue: settings.Articles), cancellationToken);
                    await LatencyAsync(services[Ingestion], indexPath, report, progress.AddTask("latency at a fixed rate", maxValue: settings.LatencySeconds), cancellationToken);

                    // The stages alone: nothing upstream runs, and the indexer is stopped while the enrichers are measured,
                    // so their results wait in its queue (they are the indexing stage's backlog afterwards).
                    await services.StopAsync(Ingestion);
                    await services.StopAsync(Indexing);
                    await PurgeAsync(connection, QueueNames.Indexing);
                    var articles = corpus.Normalized(first: settings.Articles + report.LatencyArticles, settings.StageArticles);
                    foreach (var (name, project) in Enrichers)
                    {
                        var task = progress.AddTask($"{name} alone", maxValue: articles.Count);
                        report.Stages.Add(await EnricherStage.RunAsync(connection, name, [.. services.Replicas.Where(r => r.Project == project).Select(r => r.Process)], articles, n => task.Increment(n), cancellationToken));
                    }

                    report.Stages.Add(await IndexingAloneAsync(broker, connection, work.FullName, articles, progress.AddTask("indexing alone", maxValue: articles.Count), cancellationToken));
                });
        }
        finally
        {
            work.Delete(recursive: true);
        }

        report.LoadAtEnd = ProcessStats.LoadAverage();
        return report;
    }

    /// <summary>NDJSON through the ingestion API as `pipeline import` sends it, timed until the last article is searchable with every enrichment.</summary>
    async Task EndToEndAsync(RabbitMqNode broker, PipelineServices services, string indexPath, PipelineBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        var cpu = services.Replicas.ToDictionary(r => r.Name, r => ProcessStats.CpuSeconds(r.Process.ProcessId));
        var brokerCpu = ProcessStats.CpuSeconds(broker.ProcessId);
        using var http = services[Ingestion].CreateClient(Timeout.InfiniteTimeSpan);
        using var watcher = new IndexWatcher(indexPath, EnricherNames);
        // Distinct ids: two lines of the source data can be one article (same URL, updated text), accepted twice.
        var acceptedIds = new HashSet<string>(StringComparer.Ordinal);
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        var submit = NdjsonBatchClient.PostAsync(
            http,
            async (stream, ct) =>
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
                for (var i = 0; i < settings.Articles; i++)
                {
                    buffer.ResetWrittenCount();
                    corpus.WriteLine(i, buffer);
                    await stream.WriteAsync(buffer.WrittenMemory, ct);
                }
            },
            answer =>
            {
                if (answer.Status == "accepted")
                {
                    lock (acceptedIds)
                    {
                        acceptedIds.Add(answer.ArticleId!);
                        accepted = acceptedIds.Count;
                    }
                }
            },
            cancellationToken);

        try
        {
            await WaitForCompleteAsync(watcher, () => submit.IsCompleted ? accepted : int.MaxValue, task, submit, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} {accepted} were accepted. {await QueueReportAsync(broker)} {IndexWatcher.Describe(indexPath, acceptedIds.Where(id => !watcher.IsComplete(id)).Take(10))}\n{string.Join("\n", services.Replicas.Select(r => $"===== {r.Name}\n{r.Process.Output}"))}", e);
        }

        report.EndToEnd = clock.Elapsed;
        report.Accepted = accepted;
        foreach (var replica in services.Replicas)
        {
            report.Processes.Add(new ProcessUse(replica.Name, replica.Process.PeakResidentBytes(), ProcessStats.CpuSeconds(replica.Process.ProcessId) - cpu[replica.Name]));
        }

        report.Processes.Add(new ProcessUse("broker (RabbitMQ)", ProcessStats.PeakResidentBytes(broker.ProcessId), ProcessStats.CpuSeconds(broker.ProcessId) - brokerCpu));
    }

    /// <summary>Single articles posted at a fixed rate; each timed from its POST until it is searchable with every enrichment.</summary>
    async Task LatencyAsync(ServiceProcess ingestion, string indexPath, PipelineBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        report.LatencyRate = settings.LatencyRate > 0 ? settings.LatencyRate : Math.Max(0.5, report.ArticlesPerSecond / 2);
        using var http = ingestion.CreateClient();
        using var watcher = new IndexWatcher(indexPath, EnricherNames);
        watcher.Poll(); // what the end-to-end row indexed is not this row's
        var submitted = new Dictionary<string, long>(StringComparer.Ordinal);
        var latencies = new List<double>();
        var total = Math.Max(1, (int)(report.LatencyRate * settings.LatencySeconds));
        report.LatencyArticles = total;
        var first = settings.Articles;
        var posts = new List<Task>();
        var clock = Stopwatch.StartNew();
        var lastProgress = clock.Elapsed;
        for (var sent = 0; sent < total || latencies.Count < submitted.Count || posts.Any(p => !p.IsCompleted);)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * report.LatencyRate) + 1);
            for (; sent < due; sent++)
            {
                posts.Add(PostAsync(http, first + sent, submitted, cancellationToken));
            }

            if (posts.FirstOrDefault(p => p.IsFaulted) is { } failed)
            {
                await failed;
            }

            var now = Stopwatch.GetTimestamp();
            var found = watcher.Poll();
            lock (submitted)
            {
                latencies.AddRange(found.Where(submitted.ContainsKey).Select(id => Stopwatch.GetElapsedTime(submitted[id], now).TotalMilliseconds));
            }

            if (found.Count > 0)
            {
                lastProgress = clock.Elapsed;
            }
            else if (sent == total && clock.Elapsed - lastProgress > NoProgressLimit)
            {
                throw new TimeoutException($"Latency row: {latencies.Count} of {submitted.Count} articles searchable, none more for {NoProgressLimit.TotalSeconds:F0} s.");
            }

            task.Value = Math.Min(settings.LatencySeconds, clock.Elapsed.TotalSeconds);
            await Task.Delay(10, cancellationToken);
        }

        latencies.Sort();
        report.Latencies = latencies;
    }

    async Task PostAsync(HttpClient http, int i, Dictionary<string, long> submitted, CancellationToken cancellationToken)
    {
        var (url, title, text) = corpus.Article(i);
        var start = Stopwatch.GetTimestamp();
        using var response = await http.PostAsJsonAsync("articles", new { url, title, text, language = "en" }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Ingestion answered {(int)response.StatusCode} for bench article {i}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            return; // 200: a duplicate of an article already accepted (the source data holds a few); nothing new to time
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("articleId").GetString()!;
        lock (submitted)
        {
            submitted[id] = start;
        }
    }

    /// <summary>
    /// The indexer alone on the articles and the three enrichers' real results for them (taken off its queue, where
    /// they waited while it was stopped): started on an empty queue into a fresh index and warmed up on a fifth of them,
    /// then the rest is published at once and timed until the last article is searchable with every enrichment.
    /// </summary>
    static async Task<StageResult> IndexingAloneAsync(RabbitMqNode broker, IConnection connection, string workDirectory, List<ArticleIngested> articles, ProgressTask task, CancellationToken cancellationToken)
    {
        var results = await TakeAllAsync(connection, QueueNames.Indexing);
        if (results.Count != Enrichers.Length * articles.Count)
        {
            throw new InvalidOperationException($"Expected {Enrichers.Length * articles.Count} enrichment results in the indexer's queue, found {results.Count}.");
        }

        // A fifth of the articles, with their results, warms the fresh service up (JIT, first segments) untimed.
        var resultsOf = results.ToLookup(r => BenchCorpus.FromEnvelope(r).ArticleId, StringComparer.Ordinal);
        var warmUp = articles.Take(Math.Max(1, articles.Count / 5)).ToList();
        var timed = articles.Skip(warmUp.Count).ToList();
        IEnumerable<byte[]> Messages(List<ArticleIngested> group) =>
            group.Select(a => BenchCorpus.Envelope(a, Guid.NewGuid().ToString())).Concat(group.SelectMany(a => resultsOf[a.ArticleId]));

        var indexPath = Path.Combine(workDirectory, "index-alone");
        await using var service = await ServiceProcess.StartAsync(RepositoryLayout.ServiceAssembly(Indexing), PipelineServices.Settings(broker.ConnectionString, indexPath, workDirectory), cancellationToken);
        using var watcher = new IndexWatcher(indexPath, EnricherNames);
        await WaitForCompleteAsync(watcher, () => warmUp.Count, task, RawBroker.PublishAsync(connection, QueueNames.Indexing, Messages(warmUp)), cancellationToken);

        var cpu = ProcessStats.CpuSeconds(service.ProcessId);
        var clock = Stopwatch.StartNew();
        await WaitForCompleteAsync(watcher, () => articles.Count, task, RawBroker.PublishAsync(connection, QueueNames.Indexing, Messages(timed)), cancellationToken);
        return new StageResult("indexing", timed.Count, clock.Elapsed, ProcessStats.CpuSeconds(service.ProcessId) - cpu, service.PeakResidentBytes());
    }

    /// <summary>Every message waiting in a queue, taken off it (acknowledged), bodies only.</summary>
    static async Task<List<byte[]>> TakeAllAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        var bodies = new List<byte[]>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
        {
            bodies.Add(delivery.Body.ToArray());
        }

        return bodies;
    }

    /// <summary>Polls the index until <paramref name="target"/> articles are complete (and the producer has finished).</summary>
    static async Task WaitForCompleteAsync(IndexWatcher watcher, Func<int> target, ProgressTask task, Task producer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastProgress = clock.Elapsed;
        while (watcher.CompleteCount < target())
        {
            if (producer.IsFaulted)
            {
                await producer;
            }

            var found = watcher.Poll().Count;
            if (found > 0)
            {
                task.Increment(found);
                lastProgress = clock.Elapsed;
            }
            else if (clock.Elapsed - lastProgress > NoProgressLimit)
            {
                throw new TimeoutException($"{watcher.CompleteCount} articles searchable with every enrichment, none more for {NoProgressLimit.TotalSeconds:F0} s.");
            }

            await Task.Delay(20, cancellationToken);
        }

        await producer;
    }

    /// <summary>Messages waiting in every pipeline queue and its _error queue, to explain a stall.</summary>
    static async Task<string> QueueReportAsync(RabbitMqNode broker)
    {
        await using var connection = await RawBroker.ConnectAsync(broker.ConnectionString);
        var depths = new List<string>();
        foreach (var queue in Enrichers.Select(e => QueueNames.Enricher(e.Name)).Append(QueueNames.Indexing))
        {
            string[] names = queue == QueueNames.Indexing ? [queue, QueueNames.ErrorQueueOf(queue), QueueNames.IndexingDeadLetter] : [queue, QueueNames.ErrorQueueOf(queue)];
            foreach (var name in names)
            {
                await using var channel = await connection.CreateChannelAsync();
                try
                {
                    var ok = await channel.QueueDeclarePassiveAsync(name);
                    depths.Add($"{name} {ok.MessageCount} ({ok.ConsumerCount} consumers)");
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    depths.Add($"{name} absent");
                }
            }
        }

        return "Queues: " + string.Join(", ", depths) + ".";
    }

    /// <summary>Empties a queue the services declared (a declare with other arguments than theirs would be refused).</summary>
    static async Task PurgeAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(queue);
    }
}
