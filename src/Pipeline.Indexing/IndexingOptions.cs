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
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Batches of one message type written at the same time.</summary>
    [Range(1, 64)]
    public int BatchConcurrencyLimit { get; set; } = 1;

    /// <summary>
    /// Unacknowledged messages the broker hands the indexer. It must cover every batch that may be open at once,
    /// or batches silently stay small (MassTransit's default prefetch on 2 cores is 4); 0 computes it as
    /// 2 message types x BatchMessageLimit x BatchConcurrencyLimit.
    /// </summary>
    [Range(0, 65_535)]
    public int PrefetchCount { get; set; }

    public int EffectivePrefetchCount => PrefetchCount > 0 ? PrefetchCount : 2 * BatchMessageLimit * BatchConcurrencyLimit;
}
