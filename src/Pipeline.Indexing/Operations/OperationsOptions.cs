using System.ComponentModel.DataAnnotations;

namespace Pipeline.Indexing.Operations;

/// <summary>Section <c>Operations</c>: what the indexing service watches for the operator (queues, disk) and re-publishes.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>The enrichers whose queues (<c>{name}-enricher</c> and its <c>_error</c>) are measured; the AppHost sets the running ones.</summary>
    [MinLength(0)]
    public string[] Enrichers { get; set; } = ["claims", "entities"];

    /// <summary>How often queue depths are read from the broker.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Below this much free disk space where the Lucene index lives, the store is reported unhealthy.</summary>
    [Range(0, 1_000_000)]
    public long MinFreeDiskMb { get; set; } = 256;

    /// <summary>Messages sent at once while re-publishing (re-run, rebuild); awaiting them one by one is ~10x slower.</summary>
    [Range(1, 10_000)]
    public int RepublishConcurrency { get; set; } = 256;
}
