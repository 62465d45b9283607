using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>
/// Folds messages into an article's document. The result depends only on the set of messages, never on their
/// order or on how often each was delivered: the article with the latest ingestion time wins, and per enricher the
/// payload with the highest (version, produced time) wins, with ordinal tie-breaks so that equal keys stay stable.
/// Every message must belong to the article being merged, and be an <see cref="ArticleIngested"/> or an
/// <see cref="ArticleEnriched"/>: the indexer's consumer dead-letters any other <see cref="IArticleMessage"/> a newer
/// publisher may send before it reaches a store.
/// </summary>
public static class DocumentMerge
{
    public static ArticleDocument Apply(ArticleDocument? current, string articleId, IEnumerable<IArticleMessage> messages)
    {
        var article = current?.Article;
        var enrichments = new SortedDictionary<string, StoredEnrichment>(StringComparer.Ordinal);
        if (current is not null)
        {
            foreach (var (name, enrichment) in current.Enrichments)
            {
                enrichments[name] = enrichment;
            }
        }

        foreach (var message in messages)
        {
            if (message.ArticleId != articleId)
            {
                throw new ArgumentException($"Message {message.GetType().Name} does not belong to article {articleId}.", nameof(messages));
            }

            switch (message)
            {
                case ArticleIngested ingested:
                    if (article is null || Newer(ingested, article))
                    {
                        article = ingested;
                    }

                    break;
                case ArticleEnriched enriched:
                    var candidate = new StoredEnrichment(enriched.EnricherVersion, enriched.TextHash, enriched.ProducedAt, enriched.Payload, enriched.Fields);
                    if (!enrichments.TryGetValue(enriched.EnricherName, out var existing) || Newer(candidate, existing))
                    {
                        enrichments[enriched.EnricherName] = candidate;
                    }

                    break;
                default:
                    throw new ArgumentException($"Cannot merge a {message.GetType().Name} into article {articleId}.", nameof(messages));
            }
        }

        return new ArticleDocument { ArticleId = articleId, Article = article, Enrichments = enrichments };
    }

    static bool Newer(ArticleIngested candidate, ArticleIngested existing)
    {
        var byTime = candidate.IngestedAt.CompareTo(existing.IngestedAt);
        return byTime != 0 ? byTime > 0 : string.CompareOrdinal(candidate.ContentHash, existing.ContentHash) > 0;
    }

    static bool Newer(StoredEnrichment candidate, StoredEnrichment existing)
    {
        var byVersion = CompareVersions(candidate.EnricherVersion, existing.EnricherVersion);
        if (byVersion != 0)
        {
            return byVersion > 0;
        }

        var byTime = candidate.ProducedAt.CompareTo(existing.ProducedAt);
        return byTime != 0 ? byTime > 0 : string.CompareOrdinal(candidate.TextHash, existing.TextHash) > 0;
    }

    /// <summary>Numeric comparison for dotted versions ("1.10.0" &gt; "1.9.2"), ordinal otherwise.</summary>
    public static int CompareVersions(string a, string b) =>
        Version.TryParse(a, out var va) && Version.TryParse(b, out var vb) ? va.CompareTo(vb) : string.CompareOrdinal(a, b);
}
