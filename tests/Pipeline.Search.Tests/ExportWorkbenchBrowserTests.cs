using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Pipeline.Search.Tests;

/// <summary>
/// The analyst page's export bar in real headless Chromium (<see cref="HeadlessChromium"/>): search, choose
/// the rows and the format, Download, and read the file the browser saved. Screenshots under the test output's artifacts/.
/// </summary>
[Collection(ExportCollection.Name)]
public sealed class ExportWorkbenchBrowserTests(ExportServiceFixture service) : IAsyncLifetime
{
    readonly HeadlessChromium _chromium = new();

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _chromium.StartAsync();

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();

    Task<IPage> OpenAsync(string hash) => _chromium.OpenAsync(new Uri(service.BaseAddress, hash));

    [Fact]
    public async Task Downloading_claims_as_csv_saves_one_row_per_claim_of_the_matching_articles()
    {
        var page = await OpenAsync("#/search");
        await page.Locator("#q").FillAsync("title:budget");
        await page.Locator("#q").PressAsync("Enter");
        var search = await service.Client.GetFromJsonAsync<JsonElement>("/search?q=title:budget&size=100", Cancel);
        var total = search.GetProperty("total").GetInt64();
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"{total} articles");
        Assert.True(total < 100, "the matches fit one page of /search");

        await page.GetByLabel("Export rows", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("claims");
        await page.GetByLabel("Format", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("csv");
        await HeadlessChromium.ScreenshotAsync(page, "export-bar.png");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Download" }).ClickAsync());
        var saved = HeadlessChromium.ArtifactPath("export-claims.csv");
        await download.SaveAsAsync(saved);

        Assert.Matches("^claims-\\d{8}T\\d{6}Z\\.csv$", download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        var expected = new List<(string, int)>();
        foreach (var hit in search.GetProperty("hits").EnumerateArray())
        {
            var id = hit.GetProperty("articleId").GetString()!;
            var article = await service.Client.GetFromJsonAsync<JsonElement>($"/articles/{Uri.EscapeDataString(id)}", Cancel);
            expected.AddRange(Enumerable.Range(0, article.GetProperty("claims").GetArrayLength()).Select(i => (id, i)));
        }

        var rows = ExportFiles.CsvRows(await File.ReadAllBytesAsync(saved, Cancel));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => (r["article_id"]!, int.Parse(r["claim_index"]!, System.Globalization.CultureInfo.InvariantCulture))));
        await Assertions.Expect(page.Locator("#export-status")).ToHaveTextAsync($"Saved {download.SuggestedFilename}");
        await HeadlessChromium.ScreenshotAsync(page, "export-saved.png");
    }

    [Fact]
    public async Task After_a_search_fails_the_download_exports_that_search_and_shows_its_problem()
    {
        var page = await OpenAsync("#/search?q=election");
        await Assertions.Expect(page.Locator("#export-download")).ToBeEnabledAsync();

        // The next search is refused: the bar drawn for the previous one must not download the previous results.
        await page.EvaluateAsync("() => { location.hash = '#/search?q=' + encodeURIComponent('title:(unclosed'); }");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("q:");
        await page.EvaluateAsync("() => Workbench.showError(null)");
        var downloads = 0;
        page.Download += (_, _) => downloads++;
        await page.Locator("#export-download").ClickAsync();

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("q:");
        await Assertions.Expect(page.Locator("#export-status")).ToBeEmptyAsync();
        Assert.Equal(0, downloads);
    }

    [Fact]
    public async Task A_download_the_server_aborts_midway_is_an_error_and_no_file()
    {
        var page = await OpenAsync($"#/search?outlet={ExportServiceFixture.BulkOutlet}");
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"{ExportServiceFixture.BulkCount} articles");
        var downloads = 0;
        page.Download += (_, _) => downloads++;
        service.Store.Fails = r => r.Cursor is not null && r.Filters.OfType<SearchStore.TermsFilter>().Any(f => f.Values.Contains(ExportServiceFixture.BulkOutlet));
        try
        {
            await page.GetByLabel("Export rows", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("claims");
            await page.Locator("#export-download").ClickAsync();

            await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("interrupted");
            await Assertions.Expect(page.Locator("#export-download")).ToBeEnabledAsync();
            Assert.Equal(0, downloads);
            await HeadlessChromium.ScreenshotAsync(page, "export-interrupted.png");
        }
        finally
        {
            service.Store.Fails = null;
        }
    }
}
