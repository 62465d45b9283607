using Microsoft.Playwright;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// Real headless Chromium for the page's browser tests (Debian's /usr/bin/chromium driven by Playwright): one browser per
/// test class, a fresh page per test, screenshots under the test output's artifacts/ folder. Without Chromium, a test
/// that opens a page reports skipped.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>CHROMIUM_PATH, else Debian's chromium, else Google Chrome (as on GitHub's runners).</summary>
    public static readonly string? Path = new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/google-chrome" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    IPlaywright? _playwright;
    IBrowser? _browser;

    public async Task StartAsync()
    {
        if (Path is null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A new page at <paramref name="address"/>, <paramref name="width"/> pixels wide; with a key, entered in the page's key dialog as an analyst would.</summary>
    public async Task<IPage> OpenAsync(Uri address, string? key = TestApiKeys.Read, int width = 1600, int height = 1000)
    {
        if (_browser is null)
        {
            Assert.Skip("No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/google-chrome): install Debian's chromium package (apt-get install chromium) to run the browser tests.");
        }

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, AcceptDownloads = true });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(address.ToString());
        if (key is not null)
        {
            await EnterKeyAsync(page, key);
        }

        return page;
    }

    public static async Task EnterKeyAsync(IPage page, string key)
    {
        await Assertions.Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#api-key").PressAsync("Enter");
    }

    /// <summary>Saves a full-page screenshot as artifacts/<paramref name="name"/> and prints where.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = ArtifactPath(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine($"Screenshot: {path}");
        TestContext.Current.SendDiagnosticMessage($"Screenshot: {path}");
        return path;
    }

    /// <summary>Where a test artifact named <paramref name="name"/> goes: the test output's artifacts/ folder.</summary>
    public static string ArtifactPath(string name)
    {
        var directory = System.IO.Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        return System.IO.Path.Combine(directory, name);
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
