using System.ComponentModel.DataAnnotations;

namespace Pipeline.Ingestion.Deduplication;

/// <summary>Section <c>Ingestion:Deduplication</c>: how many articles are remembered and how close a near-duplicate is.</summary>
public sealed class DeduplicationOptions
{
    public const string SectionName = "Ingestion:Deduplication";

    /// <summary>Articles remembered (about 400 bytes each in memory, 161 on disk); the oldest are forgotten first.</summary>
    [Range(10_000, 10_000_000)]
    public int Capacity { get; set; } = 250_000;

    /// <summary>Estimated Jaccard similarity of word 3-gram shingles from which two texts count as near-duplicates; above 1 turns near-duplicate detection off.</summary>
    [Range(0.5, 1.01)]
    public double NearDuplicateSimilarity { get; set; } = 0.8;
}
