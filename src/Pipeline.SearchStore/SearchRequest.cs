namespace Pipeline.SearchStore;

/// <summary>Order of the hits; both end with the article id, so equal values page deterministically.</summary>
public enum SearchSort
{
    Relevance,
    Newest,
    Oldest,
}

/// <summary>
/// The one query model both stores answer: free text in the store's query syntax (empty for all articles), filters,
/// facets, sort, highlighting and paging, either by offset (<see cref="From"/>) or by the opaque
/// <see cref="Cursor"/> of the previous page (search_after; deep pages cost the same as the first).
/// </summary>
public sealed record SearchRequest(string? Query, int Size = 10, int From = 0)
{
    public IReadOnlyList<SearchFilter> Filters { get; init; } = [];

    public IReadOnlyList<FacetRequest> Facets { get; init; } = [];

    /// <summary>Counts by two fields at once (charts: outlets over time, entity co-occurrence, claim types by outlet).</summary>
    public IReadOnlyList<PivotRequest> Pivots { get; init; } = [];

    public SearchSort Sort { get; init; } = SearchSort.Relevance;

    /// <summary><see cref="SearchResults.NextCursor"/> of the previous page, with the same query, filters and sort.</summary>
    public string? Cursor { get; init; }

    /// <summary>Marks the query's terms in the title and in text fragments.</summary>
    public bool Highlight { get; init; } = true;
}
