using System.ComponentModel.DataAnnotations;

namespace Pipeline.Ingestion;

/// <summary>Section <c>Ingestion</c>: limits on what one request may carry, where state lives, who may submit.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest accepted body of one article (and of one NDJSON line), in bytes.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxArticleBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Largest NDJSON batch body, in bytes (the batch is streamed: this bounds time, not memory).</summary>
    [Range(1_024, long.MaxValue)]
    public long MaxBatchBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Longest accepted article text, in characters after normalisation.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxTextLength { get; set; } = 1_000_000;

    [Range(1, 100_000)]
    public int MaxTitleLength { get; set; } = 1_000;

    /// <summary>Articles of one NDJSON batch being published at once (waiting for the broker's confirms).</summary>
    [Range(1, 10_000)]
    public int BatchWindow { get; set; } = 512;

    /// <summary>
    /// Where the duplicate index and the feed list are kept across restarts (the AppHost sets it under its data
    /// directory). Empty: kept in memory only, forgotten at stop.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The full data directory, or null when state is kept in memory.</summary>
    public string? StatePath => string.IsNullOrWhiteSpace(DataDirectory) ? null : Path.GetFullPath(DataDirectory);
}
