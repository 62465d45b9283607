using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Pipeline.Search.Tests;

/// <summary>
/// The analyst page's charts in real headless Chromium at 1600 px: each chart is a filter (a bar, a segment, a legend
/// entry, a matrix cell or label narrows the search to exactly what it counted), the bar width follows the chosen
/// bucket, the layout uses the screen's width, and an entity's page shows it over time and what it appears with.
/// </summary>
public sealed class ChartsWorkbenchBrowserTests(SearchServiceFixture service) : IClassFixture<SearchServiceFixture>, IAsyncLifetime
{
    readonly HeadlessChromium _chromium = new();

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _chromium.StartAsync();

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();

    async Task<long> TotalAsync(string query) =>
        (await service.Client.GetFromJsonAsync<JsonElement>($"/search?{query}", Cancel)).GetProperty("total").GetInt64();

    static string Summary(long total) => $"{total} article{(total == 1 ? "" : "s")}";

    static Dictionary<string, string[]> HashParameters(IPage page)
    {
        var fragment = new Uri(page.Url).Fragment;
        var query = fragment.Contains('?', StringComparison.Ordinal) ? fragment[(fragment.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .GroupBy(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""))
            .ToDictionary(g => g.Key, g => g.ToArray());
    }

    static string QueryOf(Dictionary<string, string[]> parameters) =>
        string.Join('&', parameters.SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v)}")));

    async Task<IPage> SearchAsync(string q)
    {
        var page = await _chromium.OpenAsync(service.BaseAddress);
        await Assertions.Expect(page.Locator("#charts .timeline")).ToBeVisibleAsync();
        if (q.Length > 0)
        {
            await page.Locator("#q").FillAsync(q);
            await page.Locator("#q").PressAsync("Enter");
            await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync(Summary(await TotalAsync($"q={Uri.EscapeDataString(q)}")));
        }

        return page;
    }

    /// <summary>After a chart click: the page's search is what the hash says, and it shows as many articles as the API finds for it.</summary>
    async Task<Dictionary<string, string[]>> NarrowedAsync(IPage page, long expected)
    {
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync(Summary(expected));
        var parameters = HashParameters(page);
        Assert.Equal(expected, await TotalAsync(QueryOf(parameters)));
        return parameters;
    }

    [Fact]
    public async Task A_timeline_bar_keeps_its_dates_and_the_bucket_follows_the_choice()
    {
        var page = await SearchAsync("");

        // The whole corpus spans about 400 days: weekly bars by default, gaps included.
        await Assertions.Expect(page.Locator("#chart-bucket option:checked")).ToHaveTextAsync("auto (week)");
        var bars = page.Locator("#charts .timeline .bar");
        Assert.True(await bars.CountAsync() > 40);
        await HeadlessChromium.ScreenshotAsync(page, "workbench-charts-1600.png");

        // The layout uses the width: facets, results and charts side by side, the charts reaching the right edge.
        var charts = await page.Locator("#charts").BoundingBoxAsync();
        var results = await page.Locator(".results-column").BoundingBoxAsync();
        Assert.True(charts!.X > results!.X + results.Width - 1, "charts right of the results");
        Assert.True(charts.X + charts.Width > 1500, $"charts end at {charts.X + charts.Width}px of 1600");

        // The header holds the search form, the watches link and the entity finder on one line at 1600 px.
        var finder = await page.Locator(".entity-finder").BoundingBoxAsync();
        var form = await page.Locator("#search-form").BoundingBoxAsync();
        Assert.True(Math.Abs(finder!.Y - form!.Y) < form.Height, $"the entity finder is on the search form's line (y {finder.Y} vs {form.Y})");

        // Monthly bars, then a click on the busiest month keeps exactly its articles.
        await page.Locator("#chart-bucket").SelectOptionAsync("month");
        await Assertions.Expect(bars.First).ToHaveAttributeAsync("data-from", new Regex("-01$"));
        var months = await bars.EvaluateAllAsync<string[][]>("bars => bars.map(b => [b.dataset.from, b.dataset.to, b.getAttribute('aria-label')])");
        Assert.All(months, m => Assert.EndsWith("-01", m[0], StringComparison.Ordinal));
        var busiest = months.MaxBy(m => int.Parse(m[2].Split(": ")[1].Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture))!;
        var expected = await TotalAsync($"published_from={busiest[0]}&published_to={busiest[1]}");
        Assert.True(expected > 0);

        await page.Locator($"#charts .timeline .bar[data-from='{busiest[0]}']").ClickAsync();

        var parameters = await NarrowedAsync(page, expected);
        Assert.Equal([busiest[0]], parameters["published_from"]);
        Assert.Equal([busiest[1]], parameters["published_to"]);
        Assert.Equal(["month"], parameters["bucket"]);

        // One month is days; the keyboard works too: focus a bar, Enter.
        await Assertions.Expect(page.Locator("#chart-bucket")).ToHaveValueAsync("month");
        await page.Locator("#chart-bucket").SelectOptionAsync("auto");
        await Assertions.Expect(page.Locator("#chart-bucket option:checked")).ToHaveTextAsync("auto (day)");
        await Assertions.Expect(bars).ToHaveCountAsync(await TotalDaysAsync(busiest[0], busiest[1]));
        var day = page.Locator("#charts .timeline .bar").Filter(new LocatorFilterOptions { HasNot = page.Locator("[aria-label$=': 0 articles, 0 check-worthy claims']") }).First;
        var from = await day.GetAttributeAsync("data-from");
        var to = await day.GetAttributeAsync("data-to");
        await day.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await NarrowedAsync(page, await TotalAsync($"published_from={from}&published_to={to}"));
        await Assertions.Expect(page.Locator("#active-filters")).ToContainTextAsync($"published from: {from}");
    }

    [Fact]
    public async Task An_outlet_segment_keeps_that_outlet_and_time_and_a_legend_entry_the_outlet()
    {
        var page = await SearchAsync("report OR election");

        var legend = page.Locator("#charts .legend-pick").First;
        var outlet = await legend.GetAttributeAsync("data-value");
        await legend.ClickAsync();
        var parameters = await NarrowedAsync(page, await TotalAsync($"q=report%20OR%20election&outlet={Uri.EscapeDataString(outlet!)}"));
        Assert.Equal([outlet!], parameters["outlet"]);

        // Back to both outlets, then one segment: its outlet and its bar's dates.
        await page.Locator("#active-filters button").Filter(new LocatorFilterOptions { HasText = outlet }).ClickAsync();
        await Assertions.Expect(page.Locator("#active-filters button")).ToHaveCountAsync(0);
        var segment = page.Locator("#charts .stacked rect.segment").Nth(3);
        var (series, from) = (await segment.GetAttributeAsync("data-series"), await segment.GetAttributeAsync("data-from"));
        await segment.ClickAsync();
        parameters = await NarrowedAsync(page, await TotalAsync($"q=report%20OR%20election&outlet={Uri.EscapeDataString(series!)}&published_from={from}&published_to={HashParameters(page)["published_to"][0]}"));
        Assert.Equal([series!], parameters["outlet"]);
        Assert.Equal([from!], parameters["published_from"]);
        await HeadlessChromium.ScreenshotAsync(page, "workbench-outlet-segment.png");
    }

    [Fact]
    public async Task A_co_occurrence_cell_keeps_the_articles_mentioning_both_entities_and_a_name_one()
    {
        var page = await SearchAsync("report");

        var cells = page.Locator("#charts .matrix").First.Locator(".cell.pick");
        Assert.True(await cells.CountAsync() > 0);
        var cell = cells.First;
        var (a, b) = (await cell.GetAttributeAsync("data-row"), await cell.GetAttributeAsync("data-column"));
        Assert.NotEqual(a, b);
        var expected = await TotalAsync($"q=report&entity={a}&entity={b}");
        Assert.True(expected > 0);
        await cell.ClickAsync();
        var parameters = await NarrowedAsync(page, expected);
        Assert.Equal(new[] { a, b }.Order(), parameters["entity"].Order());
        await HeadlessChromium.ScreenshotAsync(page, "workbench-entity-pair.png");

        // The chips name both entities by label; a row label adds one more entity.
        Assert.Equal(2, await page.Locator("#active-filters button").Filter(new LocatorFilterOptions { HasText = "Entities:" }).CountAsync());
        var label = page.Locator("#charts .matrix").First.Locator("text.row-label").Filter(new LocatorFilterOptions { HasNotText = "x" }).Last;
        var value = await label.GetAttributeAsync("data-value");
        if (value != a && value != b)
        {
            await label.ClickAsync();
            await NarrowedAsync(page, await TotalAsync($"q=report&entity={a}&entity={b}&entity={value}"));
        }
    }

    [Fact]
    public async Task A_claim_type_by_outlet_cell_keeps_that_outlet_and_claim_type()
    {
        var page = await SearchAsync("");

        var matrix = page.Locator("#charts .matrix").Nth(1);
        await Assertions.Expect(matrix).ToBeVisibleAsync();
        var cell = matrix.Locator(".cell.pick").Nth(2);
        var (outlet, claimType) = (await cell.GetAttributeAsync("data-row"), await cell.GetAttributeAsync("data-column"));
        await cell.ClickAsync();
        var parameters = await NarrowedAsync(page, await TotalAsync($"outlet={Uri.EscapeDataString(outlet!)}&claim_type={Uri.EscapeDataString(claimType!)}"));
        Assert.Equal([outlet!], parameters["outlet"]);
        Assert.Equal([claimType!], parameters["claim_type"]);

        // A claim type's column label adds that type alone.
        var column = matrix.Locator("text.column-label").Filter(new LocatorFilterOptions { HasNotText = claimType }).First;
        var other = await column.GetAttributeAsync("data-value");
        await column.ClickAsync();
        await NarrowedAsync(page, await TotalAsync($"outlet={Uri.EscapeDataString(outlet!)}&claim_type={Uri.EscapeDataString(claimType!)}&claim_type={Uri.EscapeDataString(other!)}"));
    }

    [Fact]
    public async Task An_entity_page_shows_it_over_time_and_what_it_appears_with_and_both_lead_to_searches()
    {
        var page = await SearchAsync("");
        var qid = await page.Locator("#facets input[data-field='entity']").First.GetAttributeAsync("data-value");
        await page.GotoAsync($"{service.BaseAddress}#/entity/{qid}");
        await page.Locator("#entity-title").WaitForAsync();

        var entity = await service.Client.GetFromJsonAsync<JsonElement>($"/entities/{qid}", Cancel);
        var bars = page.Locator("#entity-view .timeline .bar");
        Assert.True(await bars.CountAsync() > 1);
        var labels = await bars.EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-label'))");
        Assert.Equal(entity.GetProperty("articles").GetInt64() - await UndatedAsync(qid!), labels.Sum(l => long.Parse(l.Split(": ")[1].Split(' ')[0], CultureInfo.InvariantCulture)));

        // The line: per bar, the articles with a claim whose span holds a mention of the entity.
        var about = service.Corpus.Count(a => a.Article.PublishedAt is not null
            && a.Mentions.Any(m => m.Qid == qid && a.Claims.Any(c => m.Start >= c.Start && m.End <= c.End)));
        Assert.True(about > 0);
        Assert.Equal(about, labels.Sum(l => long.Parse(l.Split(", ")[1].Split(' ')[0], CultureInfo.InvariantCulture)));

        var related = entity.GetProperty("related").EnumerateArray().ToList();
        Assert.NotEmpty(related);
        Assert.DoesNotContain(related, r => r.GetProperty("value").GetString() == qid);
        await Assertions.Expect(page.Locator("#entity-view .hbars .hbar")).ToHaveCountAsync(related.Count);
        await HeadlessChromium.ScreenshotAsync(page, "workbench-entity-page.png");

        var companion = related[0].GetProperty("value").GetString();
        await page.Locator($"#entity-view .hbar[data-value='{companion}']").ClickAsync();
        var parameters = await NarrowedAsync(page, related[0].GetProperty("count").GetInt64());
        Assert.Equal(new[] { qid, companion }.Order(), parameters["entity"].Order());
    }

    /// <summary>Days from the first to the last day with an article in [from, to): the bars of a daily timeline.</summary>
    Task<int> TotalDaysAsync(string from, string to)
    {
        var days = service.Corpus.Where(a => a.Article.PublishedAt is { } p && string.CompareOrdinal(p.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), from) >= 0
                && string.CompareOrdinal(p.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to) < 0)
            .Select(a => DateOnly.FromDateTime(a.Article.PublishedAt!.Value.UtcDateTime)).ToList();
        return Task.FromResult(days.Max().DayNumber - days.Min().DayNumber + 1);
    }

    async Task<long> UndatedAsync(string qid) =>
        service.Corpus.Count(a => a.Qids.Contains(qid) && a.Article.PublishedAt is null);
}
