using System.Diagnostics;
using Pipeline.Cli.Bench;
using Pipeline.Cli.Import;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Chaos;

/// <summary>
/// `pipeline chaos`: a RabbitMQ cluster and every service as real processes (2 replicas of each enricher, one indexer),
/// real articles streamed through the ingestion API by the import client, and meanwhile faults on a schedule: broker
/// nodes SIGKILLed or stopped for longer than the clients' reconnect back-off and started again, every service process
/// SIGKILLed and started again. Then it waits for the pipeline to settle and holds the Lucene index against what the
/// ingestion API acknowledged. See docs/reliability.md.
/// </summary>
public sealed class ChaosRun(IngestionCorpus corpus, ChaosSettings settings, IAnsiConsole console)
{
    readonly Stopwatch _clock = new();
    readonly List<(TimeSpan At, int Complete)> _progress = [];
    readonly HashSet<ServiceReplica> _underFault = [];
    volatile bool _idle;

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new ChaosReport { Settings = settings, LoadAtStart = ProcessStats.LoadAverage() };
        var work = Directory.CreateTempSubdirectory("pipeline-chaos-");
        try
        {
            await using var cluster = await RabbitMqCluster.StartAsync(settings.BrokerNodes, cancellationToken);
            await using var services = new PipelineServices(cluster.ConnectionString, work.FullName);
            var articles = Path.Combine(work.FullName, "articles.jsonl");
            WriteArticles(articles);

            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var starting = progress.AddTask("starting the services", maxValue: 2 + (PipelineServices.Enrichers.Length * settings.Replicas));
                    await services.StartAsync(settings.Replicas, () => starting.Increment(1), cancellationToken);

                    var importing = progress.AddTask($"importing {settings.Articles:N0} articles", maxValue: new FileInfo(articles).Length);
                    var complete = progress.AddTask("searchable with every enrichment", maxValue: settings.Articles);
                    var schedule = Schedule(cluster, services);
                    var faulting = progress.AddTask($"faults (seed {settings.Seed})", maxValue: schedule.Count);

                    _clock.Start();
                    using var watch = new CancellationTokenSource();
                    using var watcher = new IndexWatcher(services.IndexPath, PipelineServices.EnricherNames);
                    var import = ImportAsync(services, articles, report, importing, cancellationToken);
                    var watching = WatchAsync(watcher, import, report, complete, watch.Token);
                    var supervising = SuperviseAsync(services, report, watch.Token);
                    await InjectAsync(schedule, report, faulting, cancellationToken);
                    await import;
                    complete.MaxValue = Math.Max(1, report.Acknowledged.Count);
                    await SettleAsync(report, complete, cancellationToken);
                    await watch.CancelAsync();
                    await watching;
                    await supervising;
                });

            var audit = IndexAudit.Read(services.IndexPath, report.Acknowledged, PipelineServices.EnricherNames);
            report.Audit = audit;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A straggling file handle of a killed process; the OS cleans the temp directory eventually.
            }
        }

        report.LoadAtEnd = ProcessStats.LoadAverage();
        return report;
    }

    void WriteArticles(string path)
    {
        using var file = File.Create(path);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        for (var i = 0; i < settings.Articles; i++)
        {
            buffer.ResetWrittenCount();
            corpus.WriteLine(i, buffer);
            file.Write(buffer.WrittenSpan);
        }
    }

    /// <summary>The faults, in an order the seed decides, each hitting a pipeline that has recovered from the one before.</summary>
    List<ChaosFault> Schedule(RabbitMqCluster cluster, PipelineServices services)
    {
        var random = new Random(settings.Seed);
        var nodes = cluster.Nodes.OrderBy(_ => random.Next()).ToList();
        var indexer = services.Replicas.Single(r => r.Project == PipelineServices.Indexing);
        var killNode = nodes[0];
        var stopNode = nodes[nodes.Count > 1 ? 1 : 0];
        var brokerKill = new ChaosFault(
            $"SIGKILL broker node {killNode.NodeName}, start it {settings.DownTime.TotalSeconds:0} s later",
            () =>
            {
                killNode.Kill();
                return Task.CompletedTask;
            },
            async ct =>
            {
                await Task.Delay(settings.DownTime, ct);
                await StartNodeAsync(killNode, ct);
            });
        var indexerKill = ServiceKill(indexer);
        if (settings.Short)
        {
            return [brokerKill, indexerKill];
        }

        var brokerStop = new ChaosFault(
            $"stop broker node {stopNode.NodeName} for {settings.LongOutage.TotalSeconds:0} s, then start it",
            stopNode.StopAsync,
            async ct =>
            {
                await Task.Delay(settings.LongOutage, ct);
                await StartNodeAsync(stopNode, ct);
            });
        var serviceKills = services.Replicas.Where(r => r != indexer).Select(ServiceKill).Append(indexerKill).OrderBy(_ => random.Next()).ToList();
        // The broker faults first and last, the service processes between them in the seed's order.
        return [brokerKill, .. serviceKills, brokerStop];
    }

    /// <summary>
    /// Starts a broker node again as a supervisor would: one that has not come up within its start timeout or exited
    /// at start (seen on a machine loaded far beyond its cores) is started again, up to three times.
    /// </summary>
    static async Task StartNodeAsync(RabbitMqClusterNode node, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await node.StartAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException && attempt < Attempts)
            {
                // A failed start has already stopped the node; a straggler is killed before the next try.
                node.Kill();
            }
        }
    }

    ChaosFault ServiceKill(ServiceReplica replica) => new(
        $"SIGKILL {replica.Name}, start it {settings.DownTime.TotalSeconds:0} s later",
        async () =>
        {
            lock (_underFault)
            {
                _underFault.Add(replica);
            }

            await replica.KillAsync();
        },
        async ct =>
        {
            try
            {
                await Task.Delay(settings.DownTime, ct);
                await replica.StartAsync(ct);
            }
            finally
            {
                lock (_underFault)
                {
                    _underFault.Remove(replica);
                }
            }
        });

    /// <summary>
    /// Restarts a service process that exited without being killed by a fault (as the AppHost's restart policy would),
    /// and records it with the last lines it printed: a process that dies of a fault elsewhere is a finding.
    /// </summary>
    async Task SuperviseAsync(PipelineServices services, ChaosReport report, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var replica in services.Replicas)
            {
                bool exempt;
                lock (_underFault)
                {
                    exempt = _underFault.Contains(replica);
                }

                if (exempt || replica.IsRunning)
                {
                    continue;
                }

                var output = replica.HasStarted ? replica.Process.Output : "";
                report.UnexpectedExits.Add(new UnexpectedExit(replica.Name, _clock.Elapsed, string.Join('\n', output.Split('\n').TakeLast(15))));
                try
                {
                    await replica.StartAsync(cancellationToken);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    // Tried again on the next round.
                }
            }

            try
            {
                await Task.Delay(1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>`pipeline import`'s client, sent to wherever ingestion runs now; every acknowledged id is recorded.</summary>
    static async Task ImportAsync(PipelineServices services, string articles, ChaosReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        var ingestion = services.Replicas.Single(r => r.Project == PipelineServices.Ingestion);
        using var http = new HttpClient(new CurrentServiceHandler(ingestion)) { BaseAddress = new Uri("http://ingestion/"), Timeout = Timeout.InfiniteTimeSpan };
        var importer = new ArticleImporter(http, new Dictionary<string, string>(), new ImportRetry(ImportRetry.DefaultMaxWait))
        {
            // Small batches: a connection broken by a fault costs one batch's answers, not the whole file's.
            BatchLines = 100,
            Answered = answer =>
            {
                if (answer.Status is "accepted" or "duplicate" && (answer.DuplicateOf ?? answer.ArticleId) is { } id)
                {
                    lock (report.Acknowledged)
                    {
                        report.Acknowledged.Add(id);
                    }
                }
            },
        };
        report.Import = await importer.ImportFileAsync(articles, task, cancellationToken);
        task.Value = task.MaxValue;
    }

    async Task InjectAsync(List<ChaosFault> schedule, ChaosReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        var description = task.Description;
        // The first fault hits a pipeline that is flowing: its recovery is not the services' warm-up.
        await ProgressAfterAsync(TimeSpan.Zero, cancellationToken);
        foreach (var fault in schedule)
        {
            await Task.Delay(settings.Gap, cancellationToken);
            task.Description = $"{description}: {Markup.Escape(fault.Description)}";
            var at = _clock.Elapsed;
            await fault.InjectAsync();
            await fault.RestoreAsync(cancellationToken);
            var healthy = _clock.Elapsed;
            var progress = await ProgressAfterAsync(healthy, cancellationToken);
            report.Faults.Add(new FaultOutcome(fault.Description, at, healthy, progress));
            task.Increment(1);
        }

        task.Description = description;
    }

    /// <summary>When the pipeline next completed an article after <paramref name="since"/>; null when it had nothing left to do.</summary>
    async Task<TimeSpan?> ProgressAfterAsync(TimeSpan since, CancellationToken cancellationToken)
    {
        while (_clock.Elapsed - since < settings.SettleLimit && !_idle)
        {
            lock (_progress)
            {
                foreach (var (at, _) in _progress)
                {
                    if (at >= since)
                    {
                        return at;
                    }
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// Polls the index, recording when each newly complete article appeared, and notes when the pipeline is idle (the
    /// import done and every acknowledged article complete: a fault then has no progress to delay).
    /// </summary>
    async Task WatchAsync(IndexWatcher watcher, Task import, ChaosReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var found = watcher.Poll().Count;
            lock (report.Acknowledged)
            {
                _idle = import.IsCompleted && report.Acknowledged.All(watcher.IsComplete);
            }

            if (found > 0)
            {
                lock (_progress)
                {
                    _progress.Add((_clock.Elapsed, watcher.CompleteCount));
                }

                task.Increment(found);
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until every acknowledged article is complete, or nothing more completes for <see cref="ChaosSettings.SettleLimit"/>.</summary>
    async Task SettleAsync(ChaosReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        task.Description = "settling: searchable with every enrichment";
        while (!_idle)
        {
            TimeSpan last;
            lock (_progress)
            {
                last = _progress.Count > 0 ? _progress[^1].At : TimeSpan.Zero;
            }

            var since = report.Faults.Count > 0 && report.Faults[^1].Healthy > last ? report.Faults[^1].Healthy : last;
            if (_clock.Elapsed - since > settings.SettleLimit)
            {
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        report.Settled = _clock.Elapsed;
    }
}
