using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Indexing;

/// <summary>Meter and activity source <see cref="Name"/>: what the indexer writes and how long it takes.</summary>
public static class IndexingTelemetry
{
    public const string Name = "Pipeline.Indexing";

    public static readonly ActivitySource Source = new(Name);

    static readonly Meter Meter = new(Name);
    static readonly Counter<long> Messages = Meter.CreateCounter<long>("pipeline.indexing.messages", "{message}", "Messages written to the store.");
    static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("pipeline.indexing.batch.size", "{message}", "Messages per store write.");
    static readonly Histogram<double> WriteDuration = Meter.CreateHistogram<double>("pipeline.indexing.write.duration", "s", "Time to merge, write and commit one batch.");

    public static void RecordBatch(string messageType, int size, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("message.type", messageType);
        Messages.Add(size, tag);
        BatchSize.Record(size, tag);
        WriteDuration.Record(elapsed.TotalSeconds, tag);
    }
}
