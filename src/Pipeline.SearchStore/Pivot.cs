namespace Pipeline.SearchStore;

/// <summary>
/// Counts the matching articles by two fields at once: the rows are the <see cref="FacetRequest.Size"/> most frequent
/// values of <see cref="Rows"/> (every non-empty bucket for a date field), the columns those of <see cref="Columns"/>,
/// and each cell the number of articles that have both (a row's date and a column's value). The same field twice gives
/// co-occurrence: the diagonal counts the articles with the value, a cell two values appearing together.
/// </summary>
public sealed record PivotRequest(FacetRequest Rows, FacetRequest Columns);

/// <summary>
/// A pivot's rows and columns (each with its count over all matching articles, as the same facet would give) and
/// <see cref="Counts"/>[row][column]: the articles having both.
/// </summary>
public sealed record PivotResult(string RowField, string ColumnField, IReadOnlyList<FacetBucket> Rows, IReadOnlyList<FacetBucket> Columns, IReadOnlyList<IReadOnlyList<long>> Counts)
{
    /// <summary>Assembles a result from dense cell counts.</summary>
    public static PivotResult From(PivotRequest request, IReadOnlyList<FacetBucket> rows, IReadOnlyList<FacetBucket> columns, long[,] cells) =>
        new(request.Rows.Field, request.Columns.Field, rows, columns,
            [.. Enumerable.Range(0, rows.Count).Select(r => (IReadOnlyList<long>)[.. Enumerable.Range(0, columns.Count).Select(c => cells[r, c])])]);
}
