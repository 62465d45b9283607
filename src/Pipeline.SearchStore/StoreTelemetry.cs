using System.Diagnostics.Metrics;

namespace Pipeline.SearchStore;

/// <summary>Meter <see cref="Name"/>: how long the store takes to make writes durable.</summary>
public static class StoreTelemetry
{
    public const string Name = "Pipeline.SearchStore";

    static readonly Meter Meter = new(Name);
    static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("pipeline.store.commit.duration", "s", "Time of one durable commit.");

    public static void RecordCommit(TimeSpan elapsed) => CommitDuration.Record(elapsed.TotalSeconds);
}
