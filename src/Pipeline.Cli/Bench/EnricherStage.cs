using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Processes;
using RabbitMQ.Client;

namespace Pipeline.Cli.Bench;

/// <summary>
/// One enricher alone: its running, idle processes get the articles on their queue at once, timed from the first
/// publish until the last result is in the indexing queue, which nothing consumes meanwhile. Used by
/// <c>bench pipeline</c> (each stage's ceiling) and <c>kb bench</c> (linking speed with a large KB).
/// </summary>
public static class EnricherStage
{
    static readonly TimeSpan NoProgressLimit = TimeSpan.FromSeconds(180);

    /// <param name="progress">Called with the number of new results seen.</param>
    public static async Task<StageResult> RunAsync(IConnection connection, string enricher, IReadOnlyList<ServiceProcess> replicas, IReadOnlyList<ArticleIngested> articles, Action<long> progress, CancellationToken cancellationToken)
    {
        var before = await RawBroker.QueueDepthAsync(connection, QueueNames.Indexing);
        var cpu = replicas.Sum(r => ProcessStats.CpuSeconds(r.ProcessId));
        var clock = Stopwatch.StartNew();
        await RawBroker.PublishAsync(connection, QueueNames.Enricher(enricher), articles.Select(a => BenchCorpus.Envelope(a, Guid.NewGuid().ToString())));
        var lastProgress = clock.Elapsed;
        long done = 0;
        while (done < articles.Count)
        {
            var now = await RawBroker.QueueDepthAsync(connection, QueueNames.Indexing) - before;
            if (now > done)
            {
                progress(now - done);
                done = now;
                lastProgress = clock.Elapsed;
            }
            else if (clock.Elapsed - lastProgress > NoProgressLimit)
            {
                var waiting = await RawBroker.QueueDepthAsync(connection, QueueNames.Enricher(enricher));
                throw new TimeoutException($"{enricher} alone: {done} of {articles.Count} results, none more for {NoProgressLimit.TotalSeconds:F0} s; {waiting} articles still in its queue.\n{string.Join("\n", replicas.Select(r => r.Output))}");
            }

            await Task.Delay(20, cancellationToken);
        }

        // With replicas: CPU of all of them, peak RSS of the largest.
        return new StageResult(enricher, articles.Count, clock.Elapsed, replicas.Sum(r => ProcessStats.CpuSeconds(r.ProcessId)) - cpu, replicas.Max(r => r.PeakResidentBytes()));
    }
}
