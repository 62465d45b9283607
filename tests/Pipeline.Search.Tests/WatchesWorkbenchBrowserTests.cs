using System.Net.Http.Json;
using Microsoft.Playwright;
using Pipeline.Contracts;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.Search.Tests.Watches;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// Watches on the analyst page in real headless Chromium (as <see cref="AnalystPageBrowserTests"/>): a watch created on
/// the page from a search fires for an article indexed afterwards (the webhook receiver on 127.0.0.1 gets it), and the
/// page shows it as new since the last visit. Screenshots under the test output's artifacts/ folder.
/// </summary>
public sealed class WatchesWorkbenchBrowserTests : IAsyncLifetime
{
    readonly HeadlessChromium _chromium = new();

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _chromium.StartAsync();

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();

    static string Screenshot(string name) => HeadlessChromium.ArtifactPath(name);

    static CorpusArticle Vaccine(string id, string title) =>
        SearchCorpus.Make(id, title, "A report about the vaccine rollout.", SearchCorpus.T0, [SearchCorpus.Entities[0]], [(ClaimTypes.Accusation, 0.8, null)]);

    [Fact]
    public async Task A_search_with_a_chart_bucket_chosen_is_saved_as_a_watch_without_the_page_only_bucket()
    {
        await using var service = await WatchService.StartAsync();
        await service.WriteAsync([.. Vaccine("earlier", "Vaccine rollout starts").Messages()]);
        var page = await _chromium.OpenAsync(service.Client.BaseAddress!, width: 1280, height: 900);
        page.SetDefaultTimeout(20_000);
        await page.Locator("#q").FillAsync("vaccine");
        await page.Locator("#q").PressAsync("Enter");
        await Assertions.Expect(page.Locator(".result mark").First).ToBeVisibleAsync();

        // Bars per week: the page keeps bucket=week in its hash, a parameter of the charts, not of the search.
        await page.Locator("#chart-bucket").SelectOptionAsync("week");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("bucket=week"));
        await Assertions.Expect(page.Locator("#chart-bucket")).ToHaveValueAsync("week");

        await page.Locator("#watch-search").ClickAsync();
        await page.Locator("#watch-name").FillAsync("Weekly vaccine watch");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save watch" }).ClickAsync();
        await Assertions.Expect(page.Locator(".watch-status")).ToContainTextAsync("Watching");
        await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();

        var watches = await service.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/watches", Cancel);
        var watch = Assert.Single(watches.EnumerateArray());
        Assert.Equal("q=vaccine", watch.GetProperty("query").GetString());
    }

    [Fact]
    public async Task A_watch_created_on_the_page_fires_for_an_article_indexed_afterwards_and_shows_it_as_new()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await WatchService.StartAsync();
        await service.WriteAsync([.. Vaccine("earlier", "Vaccine rollout starts").Messages()]);
        var page = await _chromium.OpenAsync(service.Client.BaseAddress!, width: 1280, height: 900);
        page.SetDefaultTimeout(20_000);
        await Assertions.Expect(page.Locator("#results .result")).ToHaveCountAsync(1);

        // Search, then save the search as a watch with a webhook, from the bar beside the results.
        await page.Locator("#q").FillAsync("vaccine");
        await page.Locator("#q").PressAsync("Enter");
        await Assertions.Expect(page.Locator(".result mark").First).ToBeVisibleAsync();
        await page.Locator("#watch-search").ClickAsync();
        await page.Locator("#watch-name").FillAsync("Vaccine watch");
        await page.Locator("#watch-webhook").FillAsync(receiver.Url.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Save watch" }).ClickAsync();
        await Assertions.Expect(page.Locator(".watch-status")).ToContainTextAsync("Watching");
        await Assertions.Expect(page.Locator("#watch-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#watch-search")).ToHaveAttributeAsync("aria-expanded", "false");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("watch-created.png") });

        // An article the indexer writes afterwards fires the watch: the webhook receiver on 127.0.0.1 gets it.
        await service.WriteAsync([.. Vaccine("afterwards", "Vaccine trial results published").Messages()]);
        var delivered = await Eventually.HoldsAsync(_ => Task.FromResult(receiver.Delivered), d => d.Count > 0, TimeSpan.FromSeconds(45), "the webhook POST", Cancel);
        var match = Assert.Single(Assert.Single(delivered).Body.GetProperty("matches").EnumerateArray());
        Assert.Equal("afterwards", match.GetProperty("articleId").GetString());
        Assert.Equal("Vaccine watch", delivered[0].Body.GetProperty("watch").GetProperty("name").GetString());

        // The watches view: one new match since the last visit, also counted on the header's link.
        await page.Locator("#watches-link").ClickAsync();
        var watch = page.Locator(".watch").Filter(new() { HasText = "Vaccine watch" });
        await Assertions.Expect(watch.Locator(".new-count")).ToHaveTextAsync("1 new since last visit");
        await Assertions.Expect(watch.Locator(".chip")).ToHaveTextAsync("Text: vaccine");
        await Assertions.Expect(watch.Locator(".webhook-state")).ToContainTextAsync("1 delivery sent");
        await Assertions.Expect(page.Locator("#watches-badge")).ToHaveTextAsync("1");
        var listPath = Screenshot("watches-view.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = listPath, FullPage = true });
        Console.WriteLine($"Screenshot of the watches view: {listPath}");

        // Opening the watch lists the match as new and marks the watch visited.
        await watch.Locator(".watch-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#watch-title")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator(".match.new .result-link")).ToHaveTextAsync("Vaccine trial results published");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("watch-matches.png"), FullPage = true });
        await Assertions.Expect(page.Locator("#watches-badge")).ToHaveCountAsync(0);
        await page.Locator("a[href='#/watches']").First.ClickAsync();
        await Assertions.Expect(watch.Locator(".new-count")).ToHaveTextAsync("0 new since last visit");

        // Edit (rename, narrow the search), then delete with its confirmation.
        await watch.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("US vaccine watch");
        await page.GetByLabel("Search (query string)").FillAsync("q=vaccine&entity=Q30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        var renamed = page.Locator(".watch").Filter(new() { HasText = "US vaccine watch" });
        await Assertions.Expect(renamed.Locator(".chip")).ToHaveTextAsync(["Text: vaccine", "Entity: Q30"]);
        await renamed.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await renamed.GetByRole(AriaRole.Button, new() { Name = "Confirm delete" }).ClickAsync();
        await Assertions.Expect(page.Locator(".watch")).ToHaveCountAsync(0);
    }
}
