namespace Pipeline.SearchStore;

/// <summary>Width of a date histogram's buckets (calendar units, UTC).</summary>
public enum DateInterval
{
    Day,
    Month,
    Year,
}

/// <summary>
/// Count the matching articles by a field's values: the <see cref="Size"/> most frequent values of a keyword field, or
/// a date histogram (every non-empty bucket, oldest first) of a date field. Counts are exact.
/// </summary>
public sealed record FacetRequest(string Field, int Size = 10, DateInterval Interval = DateInterval.Month)
{
    /// <summary>
    /// A number field summed over each bucket's articles (only for a date histogram), such as
    /// <see cref="SearchFields.WorthyClaims"/> for check-worthy claims over time; null for none.
    /// </summary>
    public string? Sum { get; init; }
}

/// <summary>
/// One facet value (for dates, the bucket's start as yyyy, yyyy-MM or yyyy-MM-dd) and its article count; entities carry
/// their label; <see cref="Sum"/> is the bucket's total of <see cref="FacetRequest.Sum"/> when one was asked for.
/// </summary>
public sealed record FacetBucket(string Value, long Count, string? Label = null)
{
    public long? Sum { get; init; }
}

public sealed record FacetResult(string Field, IReadOnlyList<FacetBucket> Buckets);
