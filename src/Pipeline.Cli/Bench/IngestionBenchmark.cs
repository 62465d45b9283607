using System.Buffers;
using System.Diagnostics;
using Pipeline.Cli.Import;
using Pipeline.Processes;
using RabbitMQ.Client;
using Spectre.Console;

namespace Pipeline.Cli.Bench;

/// <summary>
/// `pipeline bench ingestion`: NDJSON into RabbitMQ through the ingestion service (E), against raw RabbitMQ.Client
/// publishing the same articles with confirms (C), in one run with one throwaway RabbitMQ node; optionally a long
/// streamed upload (S) to check that the service's memory stays bounded. See docs/ingestion.md.
/// </summary>
public sealed class IngestionBenchmark(IngestionCorpus corpus, int articles, long streamBytes, IAnsiConsole console)
{
    const string Exchange = "Pipeline.Contracts:ArticleIngested";
    const string Queue = "bench-ingested";
    const int WarmUpArticles = 2_000;

    public async Task<IngestionBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new IngestionBenchmarkReport { Articles = articles, SourceArticles = corpus.SourceArticles, LoadAverage = ProcessStats.LoadAverage() };
        var work = Directory.CreateTempSubdirectory("pipeline-bench-ingestion-");
        await using var broker = await RabbitMqNode.StartAsync(cancellationToken);
        await using var connection = await RawBroker.ConnectAsync(broker.ConnectionString);
        try
        {
            await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
            {
                // The exchange MassTransit publishes ArticleIngested to, with one queue bound, as an enricher's would be.
                await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, cancellationToken: cancellationToken);
                await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
                await channel.QueueBindAsync(Queue, Exchange, "", cancellationToken: cancellationToken);
            }

            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    await RawAsync(connection, report, progress.AddTask("C raw publish", maxValue: articles), cancellationToken);
                    await ServiceAsync(broker, connection, work.FullName, report, progress.AddTask("E ingestion service", maxValue: articles), cancellationToken);
                    if (streamBytes > 0)
                    {
                        await StreamAsync(broker, connection, work.FullName, report, progress.AddTask($"S stream {streamBytes / 1024 / 1024:N0} MB", maxValue: streamBytes), cancellationToken);
                    }
                });
        }
        finally
        {
            work.Delete(recursive: true);
        }

        return report;
    }

    /// <summary>The same articles, normalised as the service would (outside the timing), as MassTransit envelopes.</summary>
    async Task RawAsync(IConnection connection, IngestionBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        // Built before the timing: PublishAsync would otherwise serialise the envelopes inside it.
        var envelopes = corpus.Normalized(WarmUpArticles, articles).Select(a => BenchCorpus.Envelope(a, Guid.NewGuid().ToString())).ToList();

        report.RawPublish = await RawBroker.PublishAsync(connection, Queue, envelopes, n => task.Increment(n));
        await Purge(connection);
        cancellationToken.ThrowIfCancellationRequested();
    }

    async Task ServiceAsync(RabbitMqNode broker, IConnection connection, string work, IngestionBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        await using var service = await ServiceProcess.StartAsync(IngestionAssembly, Settings(broker, Path.Combine(work, "e")), cancellationToken);
        using var http = Client(service);

        // Warm-up (JIT, connections, channel pool), not timed: articles that the timed batch does not repeat.
        var warmUp = await PostAsync(http, Lines(0, WarmUpArticles), null, cancellationToken);
        await Purge(connection);

        var body = Lines(WarmUpArticles, articles);
        report.BatchBytes = body.Sum(b => (long)b.Length);
        var cpu = ProcessStats.CpuSeconds(service.ProcessId);
        var clock = Stopwatch.StartNew();
        report.ServiceCounts = await PostAsync(http, body, task, cancellationToken);
        report.Service = clock.Elapsed;
        report.ServiceCpuSeconds = ProcessStats.CpuSeconds(service.ProcessId) - cpu;
        report.ServicePeakRss = service.PeakResidentBytes();
        report.QueuedMessages = await QueuedAsync(connection);
        if (warmUp.Accepted == 0 || !report.ServiceCounts.SawSummary)
        {
            throw new InvalidOperationException("The ingestion service accepted nothing; see its output:\n" + service.Output);
        }

        await Purge(connection);
    }

    async Task StreamAsync(RabbitMqNode broker, IConnection connection, string work, IngestionBenchmarkReport report, ProgressTask task, CancellationToken cancellationToken)
    {
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            // Nothing bound: 1 GB is not kept in the broker; it still confirms each message once it has routed it (nowhere).
            await channel.QueueUnbindAsync(Queue, Exchange, "", cancellationToken: cancellationToken);
        }

        await using var service = await ServiceProcess.StartAsync(IngestionAssembly, Settings(broker, Path.Combine(work, "s")), cancellationToken);
        using var http = Client(service);
        long written = 0;
        var first = WarmUpArticles + articles;
        var clock = Stopwatch.StartNew();
        var counts = new BatchCounts();
        var summary = await NdjsonBatchClient.PostAsync(
            http,
            async (stream, ct) =>
            {
                var buffer = new ArrayBufferWriter<byte>(1 << 20);
                for (var i = first; written < streamBytes; i++)
                {
                    corpus.WriteLine(i, buffer);
                    if (buffer.WrittenCount > (1 << 19))
                    {
                        await stream.WriteAsync(buffer.WrittenMemory, ct);
                        written += buffer.WrittenCount;
                        task.Value = written;
                        buffer.ResetWrittenCount();
                    }
                }
            },
            answer => Count(counts, answer.Status),
            cancellationToken);
        report.Stream = clock.Elapsed;
        counts.SawSummary = summary.ValueKind != System.Text.Json.JsonValueKind.Undefined;
        report.StreamBytes = written;
        report.StreamCounts = counts;
        report.StreamPeakRss = service.PeakResidentBytes();
    }

    List<byte[]> Lines(int first, int count)
    {
        var lines = new List<byte[]>(count);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        for (var i = first; i < first + count; i++)
        {
            buffer.ResetWrittenCount();
            corpus.WriteLine(i, buffer);
            lines.Add(buffer.WrittenSpan.ToArray());
        }

        return lines;
    }

    static async Task<BatchCounts> PostAsync(HttpClient http, List<byte[]> lines, ProgressTask? task, CancellationToken cancellationToken)
    {
        var counts = new BatchCounts();
        await NdjsonBatchClient.PostAsync(
            http,
            async (stream, ct) =>
            {
                foreach (var line in lines)
                {
                    await stream.WriteAsync(line, ct);
                }
            },
            answer =>
            {
                Count(counts, answer.Status);
                task?.Increment(1);
            },
            cancellationToken);
        counts.SawSummary = true;
        return counts;
    }

    static void Count(BatchCounts counts, string status)
    {
        switch (status)
        {
            case "accepted":
                counts.Accepted++;
                break;
            case "duplicate":
                counts.Duplicate++;
                break;
            case "rejected":
                counts.Rejected++;
                break;
            default:
                counts.Unavailable++;
                break;
        }
    }

    static HttpClient Client(ServiceProcess service) => service.CreateClient(Timeout.InfiniteTimeSpan);

    static async Task Purge(IConnection connection)
    {
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(Queue);
    }

    static async Task<long> QueuedAsync(IConnection connection)
    {
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(Queue)).MessageCount;
    }

    static Dictionary<string, string> Settings(RabbitMqNode broker, string dataDirectory) => new()
    {
        ["ConnectionStrings:rabbitmq"] = broker.ConnectionString,
        ["Ingestion:DataDirectory"] = dataDirectory,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    static string IngestionAssembly => RepositoryLayout.ServiceAssembly("Pipeline.Ingestion");
}
