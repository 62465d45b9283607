using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// The analyst page in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): search, narrow by a
/// facet with the keyboard, open an article, read a claim's details by focusing it, follow an entity to its page.
/// Screenshots are saved under the test output's artifacts/ folder and their paths printed.
/// </summary>
public sealed class AnalystPageBrowserTests(SearchServiceFixture service) : IClassFixture<SearchServiceFixture>, IAsyncLifetime
{
    readonly HeadlessChromium _chromium = new();

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _chromium.StartAsync();

    /// <summary>Opens the page and, as an analyst would, gives the key dialog the read key.</summary>
    Task<IPage> OpenAsync() => _chromium.OpenAsync(service.BaseAddress, TestApiKeys.Read, width: 1280, height: 900);

    Task<IPage> OpenWithoutKeyAsync() => _chromium.OpenAsync(service.BaseAddress, key: null, width: 1280, height: 900);

    static Task EnterKeyAsync(IPage page, string key) => HeadlessChromium.EnterKeyAsync(page, key);

    static string Screenshot(string name) => HeadlessChromium.ArtifactPath(name);

    async Task<long> TotalAsync(string query) =>
        (await service.Client.GetFromJsonAsync<JsonElement>($"/search?{query}", Cancel)).GetProperty("total").GetInt64();

    [Fact]
    public async Task The_page_asks_for_a_key_refuses_a_wrong_one_and_searches_with_the_read_key()
    {
        var page = await OpenWithoutKeyAsync();

        await EnterKeyAsync(page, "a-key-nobody-configured");
        await Assertions.Expect(page.Locator("#key-message")).ToContainTextAsync("not valid");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("key-dialog.png") });
        await page.Locator("#api-key").FillAsync(TestApiKeys.Read);
        await page.Locator("#api-key").PressAsync("Enter");

        await Assertions.Expect(page.Locator("#key-dialog")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"{await TotalAsync("")} articles");
    }

    [Fact]
    public async Task Search_then_facet_then_article_view_with_claim_details_and_entity_links()
    {
        var page = await OpenAsync();

        await page.Locator("#q").FillAsync("election OR report");
        await page.Locator("#q").PressAsync("Enter");

        // The first listing (every article) has no marks; the query's results highlight its terms.
        await Assertions.Expect(page.Locator(".result mark").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"{await TotalAsync("q=election%20OR%20report")} articles");

        // Narrow by the first claim-type value with the keyboard: focus the checkbox, Space.
        var facet = page.Locator("#facets input[data-field='claim_type']").First;
        var claimType = await facet.GetAttributeAsync("data-value");
        await facet.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"{await TotalAsync($"q=election%20OR%20report&claim_type={claimType}")} articles");
        await Assertions.Expect(page.Locator("#active-filters button")).ToContainTextAsync(claimType!);
        foreach (var meta in await page.Locator(".result .meta").AllTextContentsAsync())
        {
            Assert.Contains(claimType!, meta, StringComparison.Ordinal);
        }

        var resultsPath = Screenshot("analyst-search-results.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = resultsPath, FullPage = true });
        Console.WriteLine($"Screenshot of the faceted results: {resultsPath}");

        // Open the first result with Enter.
        await page.Locator(".result-link").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#article-title").WaitForAsync();
        var articleId = Uri.UnescapeDataString(new Uri(page.Url).Fragment["#/article/".Length..]);
        var article = await service.Client.GetFromJsonAsync<JsonElement>($"/articles/{Uri.EscapeDataString(articleId)}", Cancel);
        Assert.Equal(article.GetProperty("claims").GetArrayLength(), await page.Locator("mark.claim").CountAsync());
        Assert.True(await page.Locator("mark.claim").CountAsync() > 0, "the opened article has claims to highlight");

        // Tab reaches a claim; focusing it shows its type, check-worthiness and attribution.
        var reached = false;
        for (var i = 0; i < 60 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("() => document.activeElement?.matches('mark.claim') ?? false");
        }

        Assert.True(reached, "Tab reaches a highlighted claim");
        var tip = page.Locator("mark.claim:focus > .claim-tip");
        await Assertions.Expect(tip).ToBeVisibleAsync();
        var tipText = await tip.TextContentAsync();
        Assert.Matches("Type: .+ · Check-worthiness: [01]\\.\\d\\d · Attribution: ", tipText);

        var links = await page.Locator(".article-text a.entity").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        Assert.NotEmpty(links);
        // Linked entities open Wikidata; an emerging one (not in Wikidata) opens its entity page.
        Assert.All(links, href => Assert.Matches("^(https://www\\.wikidata\\.org/wiki/Q\\d+|.*#/entity/nil%3A[0-9a-f]{12})$", href));

        var path = Screenshot("analyst-article-view.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"Screenshot of the article view: {path}");
        Console.WriteLine($"Screenshot of the article view: {path}");
        Assert.True(new FileInfo(path).Length > 10_000);

        // The entity page: articles over time and the claims that mention the entity.
        await page.Locator(".entity-page-link").First.ClickAsync();
        await page.Locator("#entity-title").WaitForAsync();
        var qid = Uri.UnescapeDataString(new Uri(page.Url).Fragment["#/entity/".Length..]);
        var total = (await service.Client.GetFromJsonAsync<JsonElement>($"/entities/{qid}", Cancel)).GetProperty("articles").GetInt64();
        await Assertions.Expect(page.Locator("#entity-view")).ToContainTextAsync($"search its {total} article");
        Assert.True(await page.Locator("#entity-view .timeline .bar").CountAsync() > 0);
        var entityPath = Screenshot("analyst-entity-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = entityPath, FullPage = true });
        Console.WriteLine($"Screenshot of the entity page: {entityPath}");
    }

    [Fact]
    public async Task An_emerging_entity_is_marked_not_in_wikidata_in_facets_chips_suggestions_and_its_page()
    {
        var page = await OpenAsync();
        var nil = Uri.EscapeDataString(Behaviour.SearchCorpus.VoltHarbor.Qid);

        await page.Locator("#entity-prefix").PressSequentiallyAsync("volt harb");
        await Assertions.Expect(page.Locator("#suggestions a").First).ToContainTextAsync("Volt Harbor Collective");
        await Assertions.Expect(page.Locator("#suggestions a .not-in-kb")).ToHaveTextAsync("not in Wikidata");

        await page.GotoAsync($"{service.BaseAddress}#/search?entity={nil}");
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync("1 article");
        var facet = page.Locator($"#facets label:has(input[data-value='{Behaviour.SearchCorpus.VoltHarbor.Qid}'])");
        await Assertions.Expect(facet).ToContainTextAsync("Volt Harbor Collective");
        await Assertions.Expect(facet.Locator(".not-in-kb")).ToHaveTextAsync("not in Wikidata");
        Assert.Equal(0, await page.Locator($"#facets label:has(input[data-value='Q6279']) .not-in-kb").CountAsync());
        await Assertions.Expect(page.Locator("#active-filters button")).ToContainTextAsync("not in Wikidata");

        await page.GotoAsync($"{service.BaseAddress}#/entity/{nil}");
        await Assertions.Expect(page.Locator("#entity-title")).ToHaveTextAsync("Volt Harbor Collective");
        await Assertions.Expect(page.Locator("#entity-view .not-in-kb")).ToHaveTextAsync("not in Wikidata");
        Assert.Equal(0, await page.Locator("#entity-view a[href*='wikidata.org']").CountAsync());
        await Assertions.Expect(page.Locator("#entity-view")).ToContainTextAsync("search its 1 article");
        var path = Screenshot("analyst-emerging-entity-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine($"Screenshot of an emerging entity's page: {path}");
    }

    [Fact]
    public async Task A_query_syntax_error_is_shown_to_the_analyst_not_a_server_error()
    {
        var page = await OpenAsync();

        await page.Locator("#q").FillAsync("title:(unclosed");
        await page.Locator("#q").PressAsync("Enter");

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("q: The search text has a problem at character 7 (near \"title:(unclosed\"): this parenthesis is never closed.");
        Assert.Equal(0, await page.Locator(".result").CountAsync());
    }

    [Fact]
    public async Task Typing_an_entity_name_suggests_it_and_Enter_opens_its_page()
    {
        var page = await OpenAsync();

        await page.Locator("#entity-prefix").PressSequentiallyAsync("xi jin");
        await Assertions.Expect(page.Locator("#suggestions a").First).ToContainTextAsync("Xi Jinping (Q15031)");
        await page.Locator("#entity-prefix").PressAsync("Enter");

        await Assertions.Expect(page.Locator("#entity-title")).ToHaveTextAsync("Xi Jinping");
    }

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();
}
