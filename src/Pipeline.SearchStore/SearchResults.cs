namespace Pipeline.SearchStore;

/// <summary>A page of hits, the total number of matching articles, the requested facets, and the cursor of the next page.</summary>
public sealed record SearchResults(long Total, IReadOnlyList<SearchHit> Hits)
{
    public IReadOnlyList<FacetResult> Facets { get; init; } = [];

    /// <summary>The requested pivots, in request order.</summary>
    public IReadOnlyList<PivotResult> Pivots { get; init; } = [];

    /// <summary>Pass as <see cref="SearchRequest.Cursor"/> for the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}
