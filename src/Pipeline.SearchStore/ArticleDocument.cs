using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>
/// What the store keeps for one article: the article itself (null while only enrichments have arrived) and the
/// latest payload of each enricher, keyed by enricher name.
/// </summary>
public sealed record ArticleDocument
{
    public required string ArticleId { get; init; }

    public ArticleIngested? Article { get; init; }

    public IReadOnlyDictionary<string, StoredEnrichment> Enrichments { get; init; } =
        new SortedDictionary<string, StoredEnrichment>(StringComparer.Ordinal);

    /// <summary>Enrichers whose payload was computed from the article's current text.</summary>
    public IEnumerable<string> CurrentEnrichers =>
        Article is null ? [] : Enrichments.Where(e => e.Value.TextHash == Article.ContentHash).Select(e => e.Key);
}
