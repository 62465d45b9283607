using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Ingestion.Language;

namespace Pipeline.Ingestion.Tests;

public sealed class HtmlAndNormalisationTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal const string NewsPage = """
        <!DOCTYPE html>
        <html lang="en-GB"><head><title>Senate passes budget | Example News</title>
        <meta property="article:published_time" content="2024-03-05T09:30:00+01:00"></head>
        <body>
          <nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
          <article>
            <h1>Senate passes budget after all-night session</h1>
            <p class="byline">By Jane Reporter</p>
            <p>The Senate passed the annual budget early on Tuesday after a debate that lasted through the night, with
            senators from both parties trading amendments until the final vote shortly before dawn.</p>
            <p>The bill now goes to the House, where leaders said they expected a vote later this week. Critics argued
            that the spending plan relied on optimistic growth forecasts and would widen the deficit over the decade.</p>
            <p>Supporters countered that the plan funds infrastructure, schools and hospitals while keeping taxes stable
            for most households, and that independent auditors had reviewed the figures in detail.</p>
          </article>
          <footer>Subscribe to our newsletter. Cookie settings. Advertise with us.</footer>
        </body></html>
        """;

    [Fact]
    public async Task Raw_html_is_published_as_its_main_text_without_navigation_or_footer()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsync(
            "/articles/html?url=https%3A%2F%2Fnews.example.com%2Fsenate-budget%3Futm_source%3Dfeed",
            new StringContent(NewsPage, Encoding.UTF8, "text/html"),
            Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var article = host.Harness().Published.Select<ArticleIngested>(Cancel).Single().Context.Message;
        Assert.Contains("The Senate passed the annual budget", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cookie settings", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sport", article.Text, StringComparison.Ordinal);
        Assert.Equal("https://news.example.com/senate-budget", article.CanonicalUrl);
        Assert.Equal("news.example.com", article.Source);
        Assert.Equal("en", article.Language);
    }

    [Fact]
    public async Task Html_field_of_a_json_article_is_extracted_too()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsJsonAsync("/articles", new { url = "https://news.example.com/a", html = NewsPage }, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var article = host.Harness().Published.Select<ArticleIngested>(Cancel).Single().Context.Message;
        Assert.Contains("Senate passes budget", article.Title, StringComparison.Ordinal);
        Assert.Contains("The bill now goes to the House", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deeply_nested_html_is_rejected_naming_the_html_and_nothing_is_published()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 5_000)) + "deep text" + string.Concat(Enumerable.Repeat("</div>", 5_000)) + "</body></html>";

        var response = await host.Client.PostAsync("/articles/html?url=https%3A%2F%2Fexample.com%2Fdeep", new StringContent(html, Encoding.UTF8, "text/html"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty("html", out _));
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task Raw_html_without_its_url_is_rejected_naming_the_url()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsync("/articles/html", new StringContent(NewsPage, Encoding.UTF8, "text/html"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("url", out _));
    }

    [Theory]
    [InlineData("notaurl")]
    [InlineData("www.example.com/story")]
    [InlineData("ftp://example.com/story")]
    public async Task Raw_html_with_a_url_that_is_not_absolute_http_is_rejected_naming_the_url(string url)
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var raw = await host.Client.PostAsync($"/articles/html?url={Uri.EscapeDataString(url)}", new StringContent(NewsPage, Encoding.UTF8, "text/html"), Cancel);
        var json = await host.Client.PostAsJsonAsync("/articles", new { url, html = NewsPage }, Cancel);

        foreach (var response in new[] { raw, json })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("url", out _));
        }

        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Theory]
    [InlineData("2024-01-30T10:00:00+02:00", "2024-01-30T08:00:00Z")]
    [InlineData("2024-01-30T10:00:00", "2024-01-30T10:00:00Z")]
    [InlineData("Tue, 30 Jan 2024 10:00:00 GMT", "2024-01-30T10:00:00Z")]
    [InlineData("2024-01-30", "2024-01-30T00:00:00Z")]
    public async Task Published_dates_keep_their_zone_and_are_stored_in_utc(string published, string expected)
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsJsonAsync("/articles", new { text = "Dated text.", published }, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var article = host.Harness().Published.Select<ArticleIngested>(Cancel).Single().Context.Message;
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), article.PublishedAt);
        Assert.Equal(TimeSpan.Zero, article.PublishedAt!.Value.Offset);
    }

    [Theory]
    [InlineData("en", "The government said on Monday that the new law would be introduced in parliament later this year, and that it had the support of most of the members who were asked.")]
    [InlineData("de", "Die Regierung hat am Montag mitgeteilt, dass das neue Gesetz noch in diesem Jahr in den Bundestag eingebracht wird und dass es die Unterstützung der meisten Abgeordneten hat.")]
    [InlineData("fr", "Le gouvernement a annoncé lundi que la nouvelle loi sera présentée au parlement dans le courant de l'année et qu'elle a le soutien de la plupart des députés qui ont été consultés.")]
    [InlineData("es", "El gobierno anunció el lunes que la nueva ley se presentará en el parlamento a lo largo del año y que cuenta con el apoyo de la mayoría de los diputados que fueron consultados.")]
    public void Language_is_detected_from_function_words(string expected, string text) => Assert.Equal(expected, LanguageDetector.Detect(text));

    [Fact]
    public void Short_text_gets_no_language_rather_than_a_guess() => Assert.Null(LanguageDetector.Detect("Biden met Xi."));
}
