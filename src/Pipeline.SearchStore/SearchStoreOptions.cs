using System.ComponentModel.DataAnnotations;

namespace Pipeline.SearchStore;

/// <summary>Section <c>SearchStore</c>: where the embedded Lucene index lives and how it writes.</summary>
public sealed class SearchStoreOptions
{
    public const string SectionName = "SearchStore";

    /// <summary>Directory of the Lucene index; the indexing and search services must point at the same one.</summary>
    [Required(AllowEmptyStrings = false)]
    public string LucenePath { get; set; } = "";

    /// <summary>IndexWriter RAM buffer before it flushes a segment.</summary>
    [Range(1, 4096)]
    public double RamBufferMb { get; set; } = 64;

    /// <summary>Threads that build and write documents in one store write; 0 means one per core.</summary>
    [Range(0, 64)]
    public int WriteThreads { get; set; }

    /// <summary>TieredMergePolicy: segments allowed per tier before a merge; higher means fewer merges, more segments to search.</summary>
    [Range(2, 100)]
    public double SegmentsPerTier { get; set; } = 10;

    /// <summary>TieredMergePolicy: segments merged at once.</summary>
    [Range(2, 100)]
    public int MaxMergeAtOnce { get; set; } = 10;

    /// <summary>TieredMergePolicy: largest segment a normal merge produces.</summary>
    [Range(1, 1_000_000)]
    public double MaxMergedSegmentMb { get; set; } = 5 * 1024;
}
