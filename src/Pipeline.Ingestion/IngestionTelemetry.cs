using System.Diagnostics.Metrics;

namespace Pipeline.Ingestion;

/// <summary>The ingestion service's metrics (meter <c>Pipeline.Ingestion</c>), tagged by channel: api, batch, html, feed.</summary>
public static class IngestionTelemetry
{
    public const string MeterName = "Pipeline.Ingestion";

    static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Accepted = Meter.CreateCounter<long>("pipeline.ingestion.accepted", "{article}", "Articles accepted: published and confirmed by the broker.");
    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("pipeline.ingestion.duplicates", "{article}", "Articles recognised as exact or near duplicates and not published again.");
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("pipeline.ingestion.rejected", "{article}", "Submissions refused, by field.");
    public static readonly Counter<long> Unavailable = Meter.CreateCounter<long>("pipeline.ingestion.unavailable", "{article}", "Articles not accepted because the broker did not confirm them.");
    public static readonly Counter<long> FeedPolls = Meter.CreateCounter<long>("pipeline.ingestion.feed.polls", "{poll}", "Feed polls, by feed and outcome (ok, not-modified, error).");

    public static KeyValuePair<string, object?> Channel(string channel) => new("channel", channel);

    /// <summary>Registers an observable gauge of the feeds currently in error.</summary>
    public static void ObserveFeedErrors(Func<int> failingFeeds) =>
        Meter.CreateObservableGauge("pipeline.ingestion.feed.failing", failingFeeds, "{feed}", "Feeds whose last poll failed.");
}
