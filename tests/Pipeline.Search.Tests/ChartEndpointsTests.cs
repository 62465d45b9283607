using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.SearchStore;

namespace Pipeline.Search.Tests;

/// <summary>
/// <c>GET /charts</c> on the service over a real Lucene index: every number equals a brute-force count of the corpus,
/// and every bar, cell and entity pair narrows a search to exactly the articles it counts (what a click on the page does).
/// </summary>
public sealed class ChartEndpointsTests(SearchServiceFixture service) : IClassFixture<SearchServiceFixture>
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    async Task<JsonElement> GetAsync(string query) => await service.Client.GetFromJsonAsync<JsonElement>($"/charts?{query}", Cancel);

    async Task<long> TotalAsync(string query) =>
        (await service.Client.GetFromJsonAsync<JsonElement>($"/search?{query}", Cancel)).GetProperty("total").GetInt64();

    [Fact]
    public async Task The_timeline_counts_every_dated_matching_article_and_its_check_worthy_claims_once_with_gaps_as_zeros()
    {
        var charts = await GetAsync("worthiness=0.3&bucket=week");
        var matching = service.Corpus.Where(a => a.MaxWorthiness >= 0.3).ToList();
        Assert.Equal(matching.Count, charts.GetProperty("total").GetInt64());
        Assert.Equal("week", charts.GetProperty("bucket").GetString());

        var timeline = charts.GetProperty("timeline").EnumerateArray().ToList();
        var dated = matching.Where(a => a.Article.PublishedAt is not null).ToList();
        Assert.Equal(dated.Count, timeline.Sum(b => b.GetProperty("articles").GetInt64()));
        Assert.Equal(dated.Sum(a => a.Claims.Count(c => c.CheckWorthiness >= 0.5)), timeline.Sum(b => b.GetProperty("worthyClaims").GetInt64()));

        // Weeks start on Monday, follow each other without holes, and each one's range holds exactly its articles.
        var starts = timeline.Select(b => DateOnly.ParseExact(b.GetProperty("from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        Assert.All(starts, s => Assert.Equal(DayOfWeek.Monday, s.DayOfWeek));
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.Equal(p.First.AddDays(7), p.Second));
        Assert.Contains(timeline, b => b.GetProperty("articles").GetInt64() == 0);
        foreach (var bar in timeline.Where(b => b.GetProperty("articles").GetInt64() > 0).Take(5))
        {
            var (from, to) = (bar.GetProperty("from").GetString(), bar.GetProperty("to").GetString());
            Assert.Equal(bar.GetProperty("articles").GetInt64(), await TotalAsync($"worthiness=0.3&published_from={from}&published_to={to}"));
        }
    }

    [Fact]
    public async Task Auto_buckets_follow_the_span_of_the_matching_dates()
    {
        // The corpus spans about 400 days: too many days for a readable chart, so auto takes weeks.
        Assert.Equal("week", (await GetAsync("")).GetProperty("bucket").GetString());

        // One month of it: days.
        var month = await GetAsync("published_from=2023-12-01&published_to=2024-01-01");
        Assert.Equal("day", month.GetProperty("bucket").GetString());
        Assert.All(month.GetProperty("timeline").EnumerateArray(), b => Assert.StartsWith("2023-12-", b.GetProperty("bucket").GetString(), StringComparison.Ordinal));

        var years = (await GetAsync("bucket=year")).GetProperty("timeline").EnumerateArray().ToList();
        var labels = years.Select(b => int.Parse(b.GetProperty("bucket").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(labels[0], labels.Count), labels);
        Assert.Equal(service.Corpus.Count(a => a.Article.PublishedAt is not null), years.Sum(b => b.GetProperty("articles").GetInt64()));
    }

    [Fact]
    public async Task Every_cell_of_outlets_over_time_and_claim_types_by_outlet_narrows_a_search_to_its_count()
    {
        var charts = await GetAsync("bucket=month&top=2");
        var outlets = charts.GetProperty("outletsOverTime");
        var series = outlets.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("value").GetString()!).ToList();
        Assert.Equal(2, series.Count);
        var timeline = charts.GetProperty("timeline").EnumerateArray().ToList();
        var counts = outlets.GetProperty("counts").EnumerateArray().ToList();
        Assert.Equal(timeline.Count, counts.Count);
        for (var s = 0; s < series.Count; s++)
        {
            // Series are the top outlets of the dated articles (an undated article has no bar), with those counts.
            var dated = service.Corpus.Count(a => a.Article.Source == series[s] && a.Article.PublishedAt is not null);
            Assert.Equal(dated, counts.Sum(row => row[s].GetInt64()));
            Assert.Equal(dated, outlets.GetProperty("series")[s].GetProperty("count").GetInt64());
        }

        var busiest = Enumerable.Range(0, timeline.Count).MaxBy(i => counts[i][0].GetInt64());
        Assert.Equal(
            counts[busiest][0].GetInt64(),
            await TotalAsync($"outlet={Uri.EscapeDataString(series[0])}&published_from={timeline[busiest].GetProperty("from").GetString()}&published_to={timeline[busiest].GetProperty("to").GetString()}"));

        var byOutlet = charts.GetProperty("claimTypesByOutlet");
        var rows = byOutlet.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("value").GetString()!).ToList();
        var columns = byOutlet.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("value").GetString()!).ToList();
        Assert.Equal(2, rows.Count);
        Assert.True(columns.Count >= 3);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var expected = service.Corpus.Count(a => a.Article.Source == rows[r] && a.Claims.Any(x => x.Type == columns[c]));
                Assert.Equal(expected, byOutlet.GetProperty("counts")[r][c].GetInt64());
            }
        }

        Assert.Equal(
            byOutlet.GetProperty("counts")[1][2].GetInt64(),
            await TotalAsync($"outlet={Uri.EscapeDataString(rows[1])}&claim_type={Uri.EscapeDataString(columns[2])}"));
    }

    [Fact]
    public async Task Entity_co_occurrence_is_symmetric_and_a_pair_narrows_a_search_to_the_articles_mentioning_both()
    {
        var entities = (await GetAsync("q=report&top=6")).GetProperty("entities");
        var rows = entities.GetProperty("rows").EnumerateArray().ToList();
        var ids = rows.Select(r => r.GetProperty("value").GetString()!).ToList();
        Assert.Equal(6, ids.Count);
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("label").GetString())));
        var counts = entities.GetProperty("counts");
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(rows[i].GetProperty("count").GetInt64(), counts[i][i].GetInt64());
            for (var j = 0; j < ids.Count; j++)
            {
                Assert.Equal(counts[i][j].GetInt64(), counts[j][i].GetInt64());
            }
        }

        var (a, b) = (from i in Enumerable.Range(0, ids.Count) from j in Enumerable.Range(0, ids.Count) where i < j select (i, j)).MaxBy(p => counts[p.i][p.j].GetInt64());
        Assert.True(counts[a][b].GetInt64() > 0);
        Assert.Equal(counts[a][b].GetInt64(), await TotalAsync($"q=report&entity={ids[a]}&entity={ids[b]}"));
    }

    [Theory]
    [InlineData("bucket=fortnight", "bucket")]
    [InlineData("top=0", "top")]
    [InlineData("top=31", "top")]
    [InlineData("top=many", "top")]
    [InlineData("worthiness=2", "worthiness")]
    [InlineData("q=title:(unclosed", "q")]
    public async Task Invalid_chart_parameters_are_a_400_naming_the_parameter(string query, string parameter)
    {
        var response = await service.Client.GetAsync($"/charts?{query}", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Charts_need_a_read_key()
    {
        using var anonymous = service.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/charts", Cancel)).StatusCode);
    }
}

/// <summary>How <see cref="Api.ChartBuckets"/> picks and fills the bars of a timeline.</summary>
public sealed class ChartBucketsTests
{
    static IReadOnlyList<FacetBucket> Days(params (string Day, long Count)[] days) => [.. days.Select(d => new FacetBucket(d.Day, d.Count) { Sum = d.Count * 2 })];

    [Fact]
    public void Auto_takes_days_up_to_120_then_weeks_then_months_and_fills_the_gaps()
    {
        var days = Days(("2024-01-01", 1), ("2024-01-03", 2));
        var buckets = Api.ChartBuckets.Choose(days.Select(d => d.Value), null);
        Assert.Equal("day", buckets.Width);
        Assert.Equal([("2024-01-01", 1L, 2L), ("2024-01-02", 0L, 0L), ("2024-01-03", 2L, 4L)], buckets.Timeline(days).Select(b => (b.Bucket, b.Articles, b.WorthyClaims)));

        Assert.Equal("week", Api.ChartBuckets.Choose(["2024-01-01", "2024-06-30"], null).Width);
        Assert.Equal("month", Api.ChartBuckets.Choose(["2020-01-01", "2024-06-30"], null).Width);
        Assert.Equal("year", Api.ChartBuckets.Choose(["1800-01-01", "2024-06-30"], null).Width);
    }

    [Fact]
    public void Weeks_start_on_monday_and_to_is_the_next_start()
    {
        var days = Days(("2024-01-03", 1), ("2024-01-08", 1), ("2024-01-14", 3));
        var timeline = Api.ChartBuckets.Choose(days.Select(d => d.Value), "week").Timeline(days);
        Assert.Equal([("2024-01-01", "2024-01-08", 1L), ("2024-01-08", "2024-01-15", 4L)], timeline.Select(b => (b.From, b.To, b.Articles)));
    }

    [Fact]
    public void Dates_centuries_apart_never_fail_auto_and_an_explicit_day_over_them_is_a_400()
    {
        var days = Days(("0001-01-01", 1), ("1970-01-01", 2), ("2024-05-05", 3));
        var buckets = Api.ChartBuckets.Choose(days.Select(d => d.Value), null);
        Assert.Equal("year", buckets.Width);
        Assert.Equal([("0001", 1L), ("1970", 2L), ("2024", 3L)], buckets.Timeline(days).Select(b => (b.Bucket, b.Articles)));

        var refused = Assert.Throws<InvalidSearchRequestException>(() => Api.ChartBuckets.Choose(days.Select(d => d.Value), "day"));
        Assert.Equal("bucket", refused.Parameter);
    }
}
