using System.ComponentModel.DataAnnotations;

namespace Pipeline.Ingestion;

/// <summary>Section <c>Ingestion</c>: limits on what one request may carry.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest accepted JSON body of one article, in bytes.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxArticleBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Longest accepted article text, in characters after normalisation.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxTextLength { get; set; } = 1_000_000;

    [Range(1, 100_000)]
    public int MaxTitleLength { get; set; } = 1_000;
}
