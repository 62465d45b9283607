namespace Pipeline.SearchStore;

/// <summary>The read side of a search store, used by the search service. Sees only durable (committed) writes.</summary>
public interface IArticleSearch
{
    /// <summary>Runs the query model; an invalid query, filter, facet or cursor throws <see cref="InvalidSearchRequestException"/>.</summary>
    Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    Task<ArticleDocument?> GetAsync(string articleId, CancellationToken cancellationToken);

    /// <summary>Entities present in the index whose label has a word starting with <paramref name="prefix"/>, most mentioned first.</summary>
    Task<IReadOnlyList<EntitySuggestion>> SuggestEntitiesAsync(string prefix, int size, CancellationToken cancellationToken);
}
