using System.Diagnostics.Metrics;

namespace Pipeline.Messaging.Enrichment;

/// <summary>Metrics every enricher reports through the SDK (meter <see cref="MeterName"/>).</summary>
public static class EnrichmentTelemetry
{
    public const string MeterName = "Pipeline.Enrichment";

    static readonly Meter Meter = new(MeterName);
    static readonly Counter<long> Enriched = Meter.CreateCounter<long>("pipeline.enrichment.articles", "{article}", "Articles enriched.");
    static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("pipeline.enrichment.duration", "s", "Time one enricher spent on one article.");
    static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("pipeline.enrichment.batch_size", "{article}", "Articles per call of a batch enricher.");
    static readonly Histogram<double> Lag = Meter.CreateHistogram<double>(
        "pipeline.enrichment.lag", "s", "Time from an article's ingestion to its enrichment being published (queueing included), per enricher.");

    public static void RecordEnrichment(string enricher, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("enricher", enricher);
        Enriched.Add(1, tag);
        Duration.Record(elapsed.TotalSeconds, tag);
    }

    /// <summary>A batch enricher's call: counted per article, its time shared out over the batch's articles.</summary>
    public static void RecordBatch(string enricher, int articles, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("enricher", enricher);
        Enriched.Add(articles, tag);
        BatchSize.Record(articles, tag);
        if (articles > 0)
        {
            Duration.Record(elapsed.TotalSeconds / articles, tag);
        }
    }

    /// <summary>Enrichment lag: how far behind ingestion an enricher is. Re-runs of old articles show up as large lags.</summary>
    public static void RecordLag(string enricher, TimeSpan lag) =>
        Lag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("enricher", enricher));
}
