using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

public sealed class SubmitArticleTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://[::1]:5101/story", "http://[::1]:5101/story")]
    [InlineData("http://[::FFFF:127.0.0.1]:5102/story?utm_source=x", "http://[::ffff:127.0.0.1]:5102/story")]
    public async Task An_article_at_an_ipv6_literal_url_is_accepted_with_the_brackets_in_its_canonical_url(string url, string canonical)
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsJsonAsync("/articles", new { url, text = "Biden met Xi in San Francisco." }, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(canonical, (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("canonicalUrl").GetString());
        Assert.Equal(canonical, host.Harness().Published.Select<ArticleIngested>(Cancel).Single().Context.Message.CanonicalUrl);
    }

    [Fact]
    public async Task A_nul_character_in_any_field_is_a_400_naming_the_field_and_nothing_is_published()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsJsonAsync("/articles", new { text = "Biden met Xi.", source = "Example\0News" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("source", out _));
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task Sample_article_is_accepted_and_published_once_with_its_deterministic_id()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        var text = await File.ReadAllTextAsync(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"), Cancel);

        var response = await host.Client.PostAsJsonAsync(
            "/articles",
            new { url = "https://dailycaller.com/2024/01/30/china-promise/?utm_source=x#top", title = "China promised Biden", text, source = "Daily Caller News Foundation" },
            Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = accepted.GetProperty("articleId").GetString();
        Assert.Equal("https://dailycaller.com/2024/01/30/china-promise", accepted.GetProperty("canonicalUrl").GetString());

        var published = host.Harness().Published.Select<ArticleIngested>(Cancel).Single().Context.Message;
        Assert.Equal(id, published.ArticleId);
        Assert.Equal(ArticleIdentity.ArticleId("https://dailycaller.com/2024/01/30/china-promise", published.ContentHash), id);
        Assert.Equal(ArticleIdentity.ContentHash(published.Text), published.ContentHash);
        Assert.Equal("Daily Caller News Foundation", published.Source);
        Assert.Contains("Xi Jinping", published.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_that_is_not_json_gets_a_400_problem_naming_the_body_and_nothing_is_published()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsync("/articles", new StringContent("this is not json", Encoding.UTF8, "application/json"), Cancel);

        var problem = await AssertProblemAsync(response, "body");
        Assert.Contains("line 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Theory]
    [InlineData("{\"title\":\"No text\"}", "text")]
    [InlineData("{\"text\":\"   \\n\\t \"}", "text")]
    [InlineData("{\"text\":\"Some text\",\"url\":\"ftp://example.com/a\"}", "url")]
    [InlineData("{\"text\":\"Some text\",\"url\":\"not a url\"}", "url")]
    [InlineData("{\"text\":\"Some text\",\"published\":\"yesterday\"}", "published")]
    [InlineData("{\"text\":\"Some text\",\"language\":\"English\"}", "language")]
    [InlineData("{\"text\":\"Some text\",\"txt\":\"typo\"}", "txt")]
    [InlineData("{\"text\":42}", "text")]
    [InlineData("[1,2,3]", "body")]
    public async Task Invalid_article_gets_a_400_problem_naming_the_field_and_nothing_is_published(string body, string field)
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsync("/articles", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);

        await AssertProblemAsync(response, field);
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task Plain_text_body_with_fields_in_the_query_is_accepted_like_json()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        var text = await File.ReadAllTextAsync(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"), Cancel);

        var response = await host.Client.PostAsync(
            "/articles?title=China%20promised&url=https%3A%2F%2Fexample.com%2Fa&published=2024-01-30T10:00:00Z&author=Jake%20Smith",
            new StringContent(text, Encoding.UTF8, "text/plain"),
            Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var published = host.Harness().Published.Select<ArticleIngested>(Cancel).Single().Context.Message;
        Assert.Equal("China promised", published.Title);
        Assert.Equal(["Jake Smith"], published.Authors);
        Assert.Equal(DateTimeOffset.Parse("2024-01-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), published.PublishedAt);
        Assert.StartsWith("Jake Smith on January 30, 2024", published.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_text_that_is_not_utf8_is_rejected_naming_the_text()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        var content = new ByteArrayContent([0x43, 0x61, 0x66, 0xE9, 0x20, 0x6F, 0x6B]);
        content.Headers.ContentType = new("text/plain");

        var response = await host.Client.PostAsync("/articles", content, Cancel);

        await AssertProblemAsync(response, "text");
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task Oversized_body_gets_a_400_problem_naming_the_limit_and_nothing_is_published()
    {
        await using var host = await IngestionHost.StartAsync(harness: true, new Dictionary<string, string?> { ["Ingestion:MaxArticleBytes"] = "4096" });
        var text = new string('a', 10_000);

        var response = await host.Client.PostAsJsonAsync("/articles", new { text }, Cancel);

        var problem = await AssertProblemAsync(response, "body");
        Assert.Contains("4096 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task Broker_that_cannot_be_reached_gets_a_503_and_the_client_may_retry()
    {
        await using var host = await IngestionHost.StartAsync(
            harness: false,
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{FreePorts.Next()}",
                ["Messaging:PublishTimeout"] = "00:00:02",
            });

        var response = await host.Client.PostAsJsonAsync("/articles", new { text = "Biden met Xi." }, Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task OpenApi_document_describes_every_ingestion_endpoint()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var document = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);

        var post = document.GetProperty("paths").GetProperty("/articles").GetProperty("post");
        Assert.True(post.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("400", out _));
        Assert.True(post.TryGetProperty("requestBody", out _));
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/articles/batch").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/x-ndjson", out _));
        Assert.True(paths.GetProperty("/articles/html").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/feeds").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/feeds").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/feeds/{id}").TryGetProperty("delete", out _));
    }

    static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"The problem names {problem.GetProperty("errors")}, not '{field}'.");
        return problem;
    }
}
