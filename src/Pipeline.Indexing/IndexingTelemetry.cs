using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Indexing;

/// <summary>Meter and activity source <see cref="Name"/>: what the indexer writes, how fast, and what it refuses.</summary>
public static class IndexingTelemetry
{
    public const string Name = "Pipeline.Indexing";

    public static readonly ActivitySource Source = new(Name);

    static readonly Meter Meter = new(Name);
    static readonly Counter<long> Messages = Meter.CreateCounter<long>("pipeline.indexing.messages", "{message}", "Messages written to the store.");
    static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("pipeline.indexing.batch.size", "{message}", "Messages per consumer batch.");
    static readonly Histogram<int> WriteSize = Meter.CreateHistogram<int>("pipeline.indexing.write.size", "{message}", "Messages per store write (one commit).");
    static readonly Histogram<double> WriteDuration = Meter.CreateHistogram<double>("pipeline.indexing.write.duration", "s", "Time to merge, write and commit one store write.");
    static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("pipeline.indexing.dead_lettered", "{message}", "Messages refused by the store and sent to the dead-letter queue.");

    public static void RecordBatch(int size) => BatchSize.Record(size);

    public static void RecordWrite(int messages, int rejected, TimeSpan elapsed)
    {
        Messages.Add(messages - rejected);
        WriteSize.Record(messages);
        WriteDuration.Record(elapsed.TotalSeconds);
    }

    public static void RecordDeadLettered(string messageType) =>
        DeadLettered.Add(1, new KeyValuePair<string, object?>("message.type", messageType));
}
