using System.ComponentModel.DataAnnotations;

namespace Pipeline.Indexing;

/// <summary>Section <c>Indexing</c>: how the indexer batches messages from the broker.</summary>
public sealed class IndexingOptions
{
    public const string SectionName = "Indexing";

    /// <summary>
    /// Most messages in one batch, articles and enrichments together (an article with two enrichments is three
    /// messages).
    /// </summary>
    [Range(1, 10_000)]
    public int BatchMessageLimit { get; set; } = 500;

    /// <summary>How long a batch waits to fill before it is written anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Batches in flight at once. Batches keep filling while a write runs and queue up for the group-commit writer,
    /// which takes them all into its next write: so the write size grows with the write time and the commits stay
    /// few under load. With only one or two in flight, a write can hold no more than what arrived in one time limit.
    /// </summary>
    [Range(1, 64)]
    public int BatchConcurrencyLimit { get; set; } = 8;

    /// <summary>
    /// Unacknowledged messages the broker hands the indexer. It must cover every batch that may be open at once,
    /// or batches silently stay small (MassTransit's default prefetch on 2 cores is 4); 0 computes it as
    /// BatchMessageLimit x BatchConcurrencyLimit.
    /// </summary>
    [Range(0, 65_535)]
    public int PrefetchCount { get; set; }

    /// <summary>
    /// Most messages in one store write (one commit) when the group-commit writer combines queued batches. 0 means half
    /// of the prefetch: while one half is being written, the broker delivers the other half and it fills the next
    /// batches, so receiving and writing overlap. A write that takes the whole prefetch leaves the broker nothing to
    /// send until it is acknowledged, and the writer then idles while the next messages arrive.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxMessagesPerWrite { get; set; }

    /// <summary>
    /// Least time between two commits. 0 commits as soon as the previous commit is done (group commit alone decides
    /// the write size); more makes fewer, larger commits at the cost of that much extra latency.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Retries of a batch while the store is failing; the default rides out hours of outage.</summary>
    [Range(0, 1_000_000)]
    public int StoreRetryLimit { get; set; } = 1_000;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan StoreRetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan StoreRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int EffectivePrefetchCount => PrefetchCount > 0 ? PrefetchCount : BatchMessageLimit * BatchConcurrencyLimit;

    public int EffectiveMaxMessagesPerWrite => MaxMessagesPerWrite > 0 ? MaxMessagesPerWrite : Math.Max(BatchMessageLimit, EffectivePrefetchCount / 2);
}
