using System.Globalization;
using System.Text;

namespace Pipeline.Cli.Bench;

/// <summary>What one run measured, and its markdown table.</summary>
public sealed class IndexingBenchmarkReport
{
    public int Articles { get; init; }

    public int SourceArticles { get; init; }

    /// <summary>The machine's load averages when the run started and ended: the rows are only comparable on a quiet machine.</summary>
    public string LoadAtStart { get; init; } = "";

    public string LoadAtEnd { get; set; } = "";

    public TimeSpan RawPublish { get; set; }

    public TimeSpan RawConsume { get; set; }

    public long RawBytes { get; set; }

    public TimeSpan RawStore { get; set; }

    public TimeSpan RawPath { get; set; }

    public TimeSpan ServicePath { get; set; }

    /// <summary>CPU used while C3 ran: this process (its consumer, writer and the index watcher) and the broker.</summary>
    public CpuUse RawPathCpu { get; set; }

    /// <summary>CPU used while E ran: the indexing service and the broker.</summary>
    public CpuUse ServicePathCpu { get; set; }

    public long ServicePeakRss { get; set; }

    public double LatencyRate { get; set; }

    public IReadOnlyList<double> Latencies { get; set; } = [];

    public TimeSpan Drain { get; set; }

    public long DrainPeakRss { get; set; }

    public int DrainArticles { get; set; }

    int Messages => Articles * 3;

    public double RawPathArticlesPerSecond => Articles / RawPath.TotalSeconds;

    public double ServiceArticlesPerSecond => Articles / ServicePath.TotalSeconds;

    public double Ratio => ServiceArticlesPerSecond / RawPathArticlesPerSecond;

    public double PeakRssMb => Math.Max(ServicePeakRss, DrainPeakRss) / 1024.0 / 1024.0;

    double Percentile(double p) => Latencies.Count == 0 ? double.NaN : Latencies[Math.Min(Latencies.Count - 1, (int)Math.Ceiling(p * Latencies.Count) - 1)];

    public string ToMarkdown()
    {
        var i = CultureInfo.InvariantCulture;
        var mb = RawBytes / 1024.0 / 1024.0;
        var text = new StringBuilder();
        text.AppendLine(i, $"Indexing benchmark: {Articles:N0} articles ({Messages:N0} messages: ArticleIngested + claims + entities each), from {SourceArticles:N0} real articles in ../shared/data/articles; {Environment.ProcessorCount} cores; load average {LoadAtStart} at the start, {LoadAtEnd} at the end.");
        text.AppendLine();
        text.AppendLine("| measurement | result | ratio to its ceiling |");
        text.AppendLine("|---|---:|---:|");
        if (RawPublish > TimeSpan.Zero)
        {
            text.AppendLine(i, $"| C1 raw broker publish, persistent, confirms | {Messages / RawPublish.TotalSeconds:N0} msgs/s ({mb / RawPublish.TotalSeconds:N1} MB/s) | |");
            text.AppendLine(i, $"| C1 raw broker consume, prefetch, manual acks | {Messages / RawConsume.TotalSeconds:N0} msgs/s ({mb / RawConsume.TotalSeconds:N1} MB/s) | |");
        }

        if (RawStore > TimeSpan.Zero)
        {
            text.AppendLine(i, $"| C2 raw Lucene IndexWriter, final documents | {Articles / RawStore.TotalSeconds:N0} docs/s | |");
        }

        if (RawPath > TimeSpan.Zero)
        {
            text.AppendLine(i, $"| C3 raw path: raw consumer, merge, raw IndexWriter, ack after commit | {RawPathArticlesPerSecond:N0} articles/s | 1.00 |");
            text.AppendLine(i, $"| C3 CPU per 1,000 articles: consumer and writer / broker | {RawPathCpu.PerThousand(Articles)} | |");
        }

        if (ServicePath > TimeSpan.Zero)
        {
            var ratio = RawPath > TimeSpan.Zero ? string.Create(i, $"{Ratio:N2} of C3") : "";
            text.AppendLine(i, $"| E indexing service (MassTransit batches, group commit), backlog | {ServiceArticlesPerSecond:N0} articles/s | {ratio} |");
            text.AppendLine(i, $"| E CPU per 1,000 articles: indexing service / broker | {ServicePathCpu.PerThousand(Articles)} | |");
        }

        if (Latencies.Count > 0)
        {
            var rate = ServicePath > TimeSpan.Zero && Math.Abs(LatencyRate - ServiceArticlesPerSecond / 2) < 1 ? " (half of E)" : "";
            text.AppendLine(i, $"| publish-to-searchable at {LatencyRate:N0} articles/s{rate}, {Latencies.Count:N0} articles | p50 {Percentile(0.50):N0} ms, p95 {Percentile(0.95):N0} ms, p99 {Percentile(0.99):N0} ms, max {Percentile(1):N0} ms | |");
        }

        if (Drain > TimeSpan.Zero)
        {
            text.AppendLine(i, $"| backlog drain, {DrainArticles * 3:N0} messages | {DrainArticles * 3 / Drain.TotalSeconds:N0} msgs/s ({Drain.TotalSeconds:N1} s) | |");
        }

        if (PeakRssMb > 0)
        {
            text.AppendLine(i, $"| indexing service peak RSS (E and drain) | {PeakRssMb:N0} MB | |");
        }

        return text.ToString();
    }
}

/// <summary>CPU seconds of the indexer and of the broker over one row.</summary>
public readonly record struct CpuUse(double Indexer, double Broker)
{
    public static CpuUse operator -(CpuUse a, CpuUse b) => new(a.Indexer - b.Indexer, a.Broker - b.Broker);

    public string PerThousand(int articles) =>
        string.Create(CultureInfo.InvariantCulture, $"{Indexer * 1000 / articles:N2} s / {Broker * 1000 / articles:N2} s");
}
