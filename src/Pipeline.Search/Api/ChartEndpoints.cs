using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// <c>GET /charts</c>: what the analyst page draws for any search, from one store query (three pivots over
/// the matching articles): articles and check-worthy claims over time, outlets over time, the top entities and how
/// often they appear together, and claim types by outlet.
/// </summary>
public static class ChartEndpoints
{
    /// <summary>Most bars of a timeline: auto picks the finest bucket within it; an explicit one beyond it is a 400.</summary>
    public const int MaxBuckets = 400;

    const int DefaultTop = 10;
    const int MaxTop = 30;

    public static IEndpointRouteBuilder MapChartEndpoints(this IEndpointRouteBuilder builder)
    {
        builder.MapGroup("").AddEndpointFilter<RequestTextFilter>()
            .MapGet("/charts", ChartsAsync)
            .WithName("SearchCharts")
            .WithSummary("Charts of a search: articles and check-worthy claims over time, outlets over time, entity co-occurrence, claim types by outlet.")
            .WithDescription(
                "Takes every /search parameter (q, filters, worthiness) and counts all matching articles, exactly. " +
                "bucket is auto (default: day up to 120 days of matching articles, else week up to 120 weeks, else month, else year), day, week (starting Monday), month or year; " +
                $"a timeline has at most {MaxBuckets} buckets, empty ones included with 0 so gaps show. Each bucket carries from/to (to exclusive), " +
                "the published_from/published_to that narrow a search to it. top (1..30, default 10) is how many outlets and entities the charts keep. " +
                "worthyClaims counts claims at least 0.5 check-worthy. outletsOverTime's series are the top outlets of the dated matching articles (an undated one has no bar). In entities, counts[i][j] is the number of matching articles mentioning both " +
                "entity i and entity j (the diagonal: entity i at all).")
            .ProducesValidationProblem();
        return builder;
    }

    static async Task<Results<Ok<ChartsView>, ValidationProblem>> ChartsAsync(
        [AsParameters] SearchParameters parameters,
        HttpRequest http,
        IArticleSearch search,
        CancellationToken cancellationToken,
        [FromQuery(Name = "bucket")] string? bucket = null,
        [FromQuery(Name = "top")] string? top = null)
    {
        using var activity = SearchTelemetry.Start("charts");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var width = ParseBucket(bucket);
            var size = SearchParameters.Integer("top", top) ?? DefaultTop;
            if (size is < 1 or > MaxTop)
            {
                throw new InvalidSearchRequestException("top", $"top must be between 1 and {MaxTop}.");
            }

            var (overTime, across) = ChartQuery.Of(parameters.ToRequest(http), size);
            activity?.SetTag("search.query", overTime.Query);
            var dated = await search.SearchAsync(overTime, cancellationToken);
            var all = await search.SearchAsync(across, cancellationToken);

            var outlets = dated.Pivots[0];
            var days = outlets.Rows;
            var buckets = ChartBuckets.Choose(days.Select(d => d.Value), width);
            return TypedResults.Ok(new ChartsView(
                all.Total,
                buckets.Width,
                buckets.Timeline(days),
                new SeriesChart(outlets.Columns, buckets.Series(outlets)),
                all.Pivots[0],
                all.Pivots[1]));
        }
        catch (InvalidSearchRequestException e)
        {
            return SearchEndpoints.Invalid(e);
        }
        finally
        {
            SearchTelemetry.Record("charts", Stopwatch.GetElapsedTime(started));
        }
    }

    static string? ParseBucket(string? bucket) => bucket?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "day" or "week" or "month" or "year" => bucket.Trim().ToLowerInvariant(),
        _ => throw new InvalidSearchRequestException("bucket", $"bucket must be auto, day, week, month or year, got '{bucket}'."),
    };
}

/// <summary>The charts of one search (see <see cref="ChartEndpoints"/>).</summary>
public sealed record ChartsView(
    long Total,
    string Bucket,
    IReadOnlyList<TimelineBucket> Timeline,
    SeriesChart OutletsOverTime,
    PivotResult Entities,
    PivotResult ClaimTypesByOutlet);

/// <summary>
/// One bar of a timeline: its label (the bucket's start, as yyyy-MM-dd, yyyy-MM or yyyy), the published range it covers
/// (<see cref="To"/> exclusive), the matching articles published in it and their claims at least 0.5 check-worthy.
/// </summary>
public sealed record TimelineBucket(string Bucket, string From, string To, long Articles, long WorthyClaims);

/// <summary>Articles per bucket (the timeline's buckets, in order) and series (columns): counts[bucket][series].</summary>
public sealed record SeriesChart(IReadOnlyList<FacetBucket> Series, IReadOnlyList<IReadOnlyList<long>> Counts);

/// <summary>
/// Calendar buckets over the days of a day histogram: the width (chosen by the span when not given), every bucket from
/// the first matching day to the last (empty ones too, so a chart shows gaps), and the day counts summed into them.
/// </summary>
public sealed class ChartBuckets
{
    readonly DateOnly[] _starts;

    ChartBuckets(string width, DateOnly[] starts) => (Width, _starts) = (width, starts);

    public string Width { get; }

    public static ChartBuckets Choose(IEnumerable<string> dayValues, string? width)
    {
        var days = dayValues.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).Order().ToList();
        if (days.Count == 0)
        {
            return new ChartBuckets(width ?? "day", []);
        }

        var (first, last) = (days[0], days[^1]);
        foreach (var candidate in width is null ? ["day", "week", "month", "year"] : new[] { width })
        {
            var starts = Starts(first, last, candidate);
            if (starts.Count <= MaxAuto(candidate, width is not null))
            {
                return new ChartBuckets(candidate, [.. starts]);
            }
        }

        if (width is null)
        {
            // Dates centuries apart (a year 1 from a broken feed, say): auto never fails, it keeps the years that have articles.
            return new ChartBuckets("year", [.. days.Select(d => new DateOnly(d.Year, 1, 1)).Distinct().TakeLast(ChartEndpoints.MaxBuckets)]);
        }

        throw new InvalidSearchRequestException("bucket", $"{width} buckets from {first:yyyy-MM-dd} to {last:yyyy-MM-dd} would be more than {ChartEndpoints.MaxBuckets} bars; choose a wider bucket or narrow the dates.");
    }

    /// <summary>Auto keeps days and weeks to 120 bars (readable); months and years, and an explicit width, go up to the cap.</summary>
    static int MaxAuto(string width, bool explicitWidth) => explicitWidth || width is "month" or "year" ? ChartEndpoints.MaxBuckets : 120;

    static List<DateOnly> Starts(DateOnly first, DateOnly last, string width)
    {
        var starts = new List<DateOnly>();
        for (var start = Start(first, width); start <= last && starts.Count <= ChartEndpoints.MaxBuckets; start = Next(start, width))
        {
            starts.Add(start);
        }

        return starts;
    }

    static DateOnly Start(DateOnly day, string width) => width switch
    {
        "week" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        "month" => new DateOnly(day.Year, day.Month, 1),
        "year" => new DateOnly(day.Year, 1, 1),
        _ => day,
    };

    static DateOnly Next(DateOnly start, string width) => width switch
    {
        "week" => start.AddDays(7),
        "month" => start.AddMonths(1),
        "year" => start.AddYears(1),
        _ => start.AddDays(1),
    };

    string Label(DateOnly start) => start.ToString(Width switch { "month" => "yyyy-MM", "year" => "yyyy", _ => "yyyy-MM-dd" }, CultureInfo.InvariantCulture);

    int IndexOf(string dayValue) =>
        Array.BinarySearch(_starts, Start(DateOnly.ParseExact(dayValue, "yyyy-MM-dd", CultureInfo.InvariantCulture), Width));

    public IReadOnlyList<TimelineBucket> Timeline(IReadOnlyList<FacetBucket> days)
    {
        var articles = new long[_starts.Length];
        var claims = new long[_starts.Length];
        foreach (var day in days)
        {
            var i = IndexOf(day.Value);
            if (i < 0)
            {
                continue; // a year beyond the last 400 with articles (see Choose)
            }

            articles[i] += day.Count;
            claims[i] += day.Sum ?? 0;
        }

        return [.. _starts.Select((s, i) => new TimelineBucket(Label(s), s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Next(s, Width).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), articles[i], claims[i]))];
    }

    /// <summary>A pivot whose rows are days, summed into these buckets.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Series(PivotResult byDay)
    {
        var counts = new long[_starts.Length][];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = new long[byDay.Columns.Count];
        }

        for (var r = 0; r < byDay.Rows.Count; r++)
        {
            var i = IndexOf(byDay.Rows[r].Value);
            if (i < 0)
            {
                continue;
            }

            var row = counts[i];
            for (var c = 0; c < byDay.Columns.Count; c++)
            {
                row[c] += byDay.Counts[r][c];
            }
        }

        return counts;
    }
}
