namespace Pipeline.SearchStore;

/// <summary>The read side of a search store, used by the search service. Sees only durable (committed) writes.</summary>
public interface IArticleSearch
{
    Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    Task<ArticleDocument?> GetAsync(string articleId, CancellationToken cancellationToken);
}
