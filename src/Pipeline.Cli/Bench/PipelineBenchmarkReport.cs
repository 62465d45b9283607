using System.Globalization;
using System.Text;
using Pipeline.Processes;

namespace Pipeline.Cli.Bench;

/// <summary>One process's use during the end-to-end row.</summary>
public sealed record ProcessUse(string Name, long PeakRssBytes, double CpuSeconds);

/// <summary>One stage alone on a pre-filled queue.</summary>
public sealed record StageResult(string Name, int Articles, TimeSpan Elapsed, double CpuSeconds, long PeakRssBytes)
{
    public double ArticlesPerSecond => Articles / Elapsed.TotalSeconds;
}

/// <summary>What one pipeline benchmark run measured, and its markdown table.</summary>
public sealed class PipelineBenchmarkReport
{
    public int Articles { get; init; }

    public int StageArticles { get; init; }

    public int SourceArticles { get; init; }

    /// <summary>Processes of each enricher.</summary>
    public int Replicas { get; init; } = 1;

    public string LoadAtStart { get; init; } = "";

    public string LoadAtEnd { get; set; } = "";

    public TimeSpan EndToEnd { get; set; }

    public int Accepted { get; set; }

    public List<ProcessUse> Processes { get; } = [];

    public double LatencyRate { get; set; }

    public int LatencyArticles { get; set; }

    public List<double> Latencies { get; set; } = [];

    public List<StageResult> Stages { get; } = [];

    public double ArticlesPerSecond => Accepted / EndToEnd.TotalSeconds;

    /// <summary>The stage with the lowest rate alone: the ceiling of the whole.</summary>
    public StageResult? Bottleneck => Stages.MinBy(s => s.ArticlesPerSecond);

    public double Percentile(double p) => Latencies.Count == 0 ? double.NaN : Latencies[Math.Min(Latencies.Count - 1, Math.Max(0, (int)Math.Ceiling(p * Latencies.Count) - 1))];

    public string ToMarkdown()
    {
        var i = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(i, $"Pipeline benchmark: {Articles:N0} articles end to end and {StageArticles:N0} per stage alone, from {SourceArticles:N0} real articles in ../shared/data/articles (repeated under new URLs with changed words from the second copy on); every service its own process ({RepositoryLayout.Configuration} build; {(Replicas == 1 ? "one process" : $"{Replicas} processes")} of each enricher) configured as the AppHost configures it, one throwaway RabbitMQ node, an embedded Lucene index; {Environment.ProcessorCount} cores; load average {LoadAtStart} before, {LoadAtEnd} after.");
        text.AppendLine();
        var ceiling = Bottleneck?.ArticlesPerSecond ?? double.NaN;
        text.AppendLine("| row | articles | seconds | articles/s | ratio to the slowest stage alone |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(i, $"| **end to end**: NDJSON into the ingestion API until searchable with claims, entities and fact-checks | {Accepted:N0} | {EndToEnd.TotalSeconds:N1} | **{ArticlesPerSecond:N1}** | {ArticlesPerSecond / ceiling:F2} |");
        foreach (var stage in Stages)
        {
            var what = stage.Name == "indexing"
                ? "indexing alone: the articles and the enrichers' real results published at once to the idle indexer, into a fresh index"
                : $"{stage.Name} alone{(Replicas > 1 ? $" ({Replicas} replicas)" : "")}: the articles on its pre-filled queue, until its last result is published";
            text.AppendLine(i, $"| {what} | {stage.Articles:N0} | {stage.Elapsed.TotalSeconds:N1} | {stage.ArticlesPerSecond:N1} | {stage.ArticlesPerSecond / ceiling:F2} |");
        }

        text.AppendLine();
        text.AppendLine(i, $"Ingest-to-searchable latency (POST /articles until searchable with every enrichment) at a fixed {LatencyRate:N1} articles/s, {Latencies.Count:N0} articles: p50 {Percentile(0.50):N0} ms, p95 {Percentile(0.95):N0} ms, p99 {Percentile(0.99):N0} ms, max {Percentile(1):N0} ms.");
        text.AppendLine();
        text.AppendLine("| process | peak RSS | CPU seconds per 1,000 articles end to end | CPU seconds per 1,000 articles alone |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var process in Processes)
        {
            var alone = Stages.FirstOrDefault(s => process.Name.Contains(s.Name == "indexing" ? "indexing" : $"({s.Name})", StringComparison.Ordinal));
            var aloneCpu = alone is null ? "" : (alone.CpuSeconds * 1000 / alone.Articles).ToString("N1", i);
            text.AppendLine(i, $"| {process.Name} | {process.PeakRssBytes / 1024.0 / 1024.0:N0} MB | {process.CpuSeconds * 1000 / Math.Max(1, Accepted):N1} | {aloneCpu} |");
        }

        return text.ToString();
    }
}
