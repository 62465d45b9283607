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
    /// <summary>CHROMIUM_PATH, else Debian's chromium, else Google Chrome (as on GitHub's runners).</summary>
    static readonly string? Chromium = new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/google-chrome" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    IPlaywright? _playwright;
    IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (Chromium is null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Opens the page and, as an analyst would, gives the key dialog the read key.</summary>
    async Task<IPage> OpenAsync()
    {
        var page = await OpenWithoutKeyAsync();
        await EnterKeyAsync(page, TestApiKeys.Read);
        return page;
    }

    static async Task EnterKeyAsync(IPage page, string key)
    {
        await Assertions.Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#api-key").PressAsync("Enter");
    }

    async Task<IPage> OpenWithoutKeyAsync()
    {
        if (_browser is null)
        {
            Assert.Skip("No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/google-chrome): install Debian's chromium package (apt-get install chromium) to run the browser tests.");
        }

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(service.BaseAddress.ToString());
        return page;
    }

    static string Screenshot(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

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
        Assert.All(links, href => Assert.Matches("^https://www\\.wikidata\\.org/wiki/Q\\d+$", href));

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
        Assert.True(await page.Locator("#entity-view .histogram .bar").CountAsync() > 0);
        var entityPath = Screenshot("analyst-entity-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = entityPath, FullPage = true });
        Console.WriteLine($"Screenshot of the entity page: {entityPath}");
    }

    [Fact]
    public async Task A_query_syntax_error_is_shown_to_the_analyst_not_a_server_error()
    {
        var page = await OpenAsync();

        await page.Locator("#q").FillAsync("title:(unclosed");
        await page.Locator("#q").PressAsync("Enter");

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("q: The query 'title:(unclosed' is not valid");
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

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
