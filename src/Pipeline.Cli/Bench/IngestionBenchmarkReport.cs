using System.Globalization;
using System.Text;

namespace Pipeline.Cli.Bench;

/// <summary>What one ingestion benchmark run measured, and its markdown table.</summary>
public sealed class IngestionBenchmarkReport
{
    public int Articles { get; init; }

    public int SourceArticles { get; init; }

    public long BatchBytes { get; set; }

    public TimeSpan RawPublish { get; set; }

    public TimeSpan Service { get; set; }

    public BatchCounts ServiceCounts { get; set; } = new();

    public long QueuedMessages { get; set; }

    public long ServicePeakRss { get; set; }

    public double ServiceCpuSeconds { get; set; }

    public long StreamBytes { get; set; }

    public TimeSpan Stream { get; set; }

    public BatchCounts StreamCounts { get; set; } = new();

    public long StreamPeakRss { get; set; }

    public string LoadAverage { get; set; } = "";

    public double RawArticlesPerSecond => Articles / RawPublish.TotalSeconds;

    public double ServiceArticlesPerSecond => ServiceCounts.Accepted / Service.TotalSeconds;

    public string ToMarkdown()
    {
        var i = CultureInfo.InvariantCulture;
        var mb = BatchBytes / 1024.0 / 1024.0;
        var text = new StringBuilder();
        text.AppendLine(i, $"Ingestion benchmark: {Articles:N0} articles ({mb:N0} MB of NDJSON) from {SourceArticles:N0} real articles in ../shared/data/articles, each copy under a new URL with changed words; {Environment.ProcessorCount} cores; load average before the run {LoadAverage}.");
        text.AppendLine();
        text.AppendLine("| measurement | result | ratio to the ceiling |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(i, $"| C raw RabbitMQ.Client publish of the same articles (MassTransit envelopes, persistent, confirms, window 1,000) | {RawArticlesPerSecond:N0} articles/s | 1.00 |");
        text.AppendLine(i, $"| E ingestion service: one NDJSON POST /articles/batch, answered line by line, accepted = confirmed | {ServiceArticlesPerSecond:N0} articles/s | {ServiceArticlesPerSecond / RawArticlesPerSecond:F2} |");
        text.AppendLine(i, $"| E answers: accepted / duplicate / rejected / unavailable | {ServiceCounts.Accepted:N0} / {ServiceCounts.Duplicate:N0} / {ServiceCounts.Rejected:N0} / {ServiceCounts.Unavailable:N0} | |");
        text.AppendLine(i, $"| E ingestion service CPU time during the batch | {ServiceCpuSeconds:N1} s in {Service.TotalSeconds:N1} s ({ServiceCpuSeconds / Service.TotalSeconds:P0} of one core) | |");
        text.AppendLine(i, $"| E messages in the bound queue afterwards | {QueuedMessages:N0} | |");
        text.AppendLine(i, $"| E ingestion service peak RSS | {ServicePeakRss / 1024.0 / 1024.0:N0} MB | |");
        if (StreamBytes > 0)
        {
            text.AppendLine(i, $"| S streaming {StreamBytes / 1024.0 / 1024.0:N0} MB of NDJSON in one request (fresh service; no queue bound, so the broker confirms and drops) | {StreamCounts.Accepted / Stream.TotalSeconds:N0} articles/s, {StreamBytes / 1024.0 / 1024.0 / Stream.TotalSeconds:N1} MB/s | |");
            text.AppendLine(i, $"| S answers: accepted / duplicate / rejected / unavailable | {StreamCounts.Accepted:N0} / {StreamCounts.Duplicate:N0} / {StreamCounts.Rejected:N0} / {StreamCounts.Unavailable:N0} | |");
            text.AppendLine(i, $"| S ingestion service peak RSS | {StreamPeakRss / 1024.0 / 1024.0:N0} MB | |");
        }

        return text.ToString();
    }
}

/// <summary>The per-line answers of one batch, counted.</summary>
public sealed class BatchCounts
{
    public int Accepted { get; set; }

    public int Duplicate { get; set; }

    public int Rejected { get; set; }

    public int Unavailable { get; set; }

    public bool SawSummary { get; set; }

    public int Total => Accepted + Duplicate + Rejected + Unavailable;
}
