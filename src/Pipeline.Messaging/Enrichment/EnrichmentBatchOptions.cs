using System.ComponentModel.DataAnnotations;

namespace Pipeline.Messaging.Enrichment;

/// <summary>How a batch enricher's consumer collects articles (<see cref="IArticleBatchEnricher{TPayload}"/>); section <c>Enrichment:Batch</c>.</summary>
public sealed class EnrichmentBatchOptions
{
    public const string SectionName = "Enrichment:Batch";

    /// <summary>Most articles per batch.</summary>
    [Range(1, 1000)]
    public int MessageLimit { get; set; } = 32;

    /// <summary>How long a batch waits for more articles once its first one arrived: latency traded for batch size.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Batches enriched at once.</summary>
    [Range(1, 64)]
    public int ConcurrencyLimit { get; set; } = 1;

    /// <summary>Messages fetched ahead: enough to fill every concurrent batch and the next one.</summary>
    public int PrefetchCount => MessageLimit * (ConcurrencyLimit + 1);
}
