namespace Pipeline.SearchStore;

/// <summary>
/// The store requests behind the analyst page's charts (the search API's <c>/charts</c>, and <c>bench search</c>'s
/// charts row), from a search's filters and text, with no hits. Over time: the day histogram with check-worthy claims
/// summed and day x top outlets, over the dated articles only (an undated article has no bar, so its outlet must not
/// take a series' place). Across: top entities x top entities (co-occurrence) and top outlets x claim types, over all.
/// </summary>
public static class ChartQuery
{
    /// <summary>Claim types a chart keeps (there are seven today).</summary>
    public const int ClaimTypes = 12;

    /// <summary>Keeps the articles with a publication date.</summary>
    public static readonly DateRangeFilter Dated = new(SearchFields.Published.Name, DateTimeOffset.MinValue, null);

    public static (SearchRequest OverTime, SearchRequest Across) Of(SearchRequest search, int top)
    {
        // The pivot's rows are the day histogram (with the sum): the timeline reads them, no separate facet.
        var byDay = new FacetRequest(SearchFields.Published.Name, Interval: DateInterval.Day) { Sum = SearchFields.WorthyClaims.Name };
        var charts = search with { Size = 1, From = 0, Cursor = null, Highlight = false, Facets = [], Pivots = [] };
        return (
            charts with
            {
                Filters = [.. search.Filters, Dated],
                Pivots = [new PivotRequest(byDay, new FacetRequest(SearchFields.Outlet.Name, top))],
            },
            charts with
            {
                Pivots =
                [
                    new PivotRequest(new FacetRequest(SearchFields.Entity.Name, top), new FacetRequest(SearchFields.Entity.Name, top)),
                    new PivotRequest(new FacetRequest(SearchFields.Outlet.Name, top), new FacetRequest(SearchFields.ClaimType.Name, ClaimTypes)),
                ],
            });
    }
}
