namespace Pipeline.SearchStore.StoredArticles;

/// <summary>
/// Every document the store keeps (its stored source: the article and each enricher's latest payload), for the
/// operations that re-publish them: re-running an enricher, rebuilding the index. Sees committed writes only.
/// </summary>
public interface IStoredArticleSource
{
    IAsyncEnumerable<ArticleDocument> ReadAllAsync(CancellationToken cancellationToken);
}
