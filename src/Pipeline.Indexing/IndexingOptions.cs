using System.ComponentModel.DataAnnotations;

namespace Pipeline.Indexing;

/// <summary>Section <c>Indexing</c>: how the indexer batches messages from the broker.</summary>
public sealed class IndexingOptions
{
    public const string SectionName = "Indexing";

    /// <summary>Most messages in one batch (one store write, one commit).</summary>
    [Range(1, 10_000)]
    public int BatchMessageLimit { get; set; } = 500;

    /// <summary>How long a batch waits to fill before it is written anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Batches of one message type in flight at once. More than one lets batches queue up while a commit runs, so the
    /// group-commit writer makes fewer, larger commits.
    /// </summary>
    [Range(1, 64)]
    public int BatchConcurrencyLimit { get; set; } = 2;

    /// <summary>
    /// Unacknowledged messages the broker hands the indexer. It must cover every batch that may be open at once,
    /// or batches silently stay small (MassTransit's default prefetch on 2 cores is 4); 0 computes it as
    /// (1 + EnrichersPerArticle) x BatchMessageLimit x BatchConcurrencyLimit.
    /// </summary>
    [Range(0, 65_535)]
    public int PrefetchCount { get; set; }

    /// <summary>
    /// Enrichments expected per article (the claims and entities enrichers: 2). Enrichment batches are this many
    /// times BatchMessageLimit, so that article and enrichment batches cover the same articles.
    /// </summary>
    [Range(1, 64)]
    public int EnrichersPerArticle { get; set; } = 2;

    /// <summary>Most messages in one store write (one commit) when the group-commit writer combines queued batches.</summary>
    [Range(1, 1_000_000)]
    public int MaxMessagesPerWrite { get; set; } = 20_000;

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

    /// <summary>Queue that receives <see cref="Contracts.IndexingRejected"/> for messages the store refused.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DeadLetterQueue { get; set; } = "indexing-dead-letter";

    public int EffectivePrefetchCount => PrefetchCount > 0 ? PrefetchCount : (1 + EnrichersPerArticle) * BatchMessageLimit * BatchConcurrencyLimit;
}
