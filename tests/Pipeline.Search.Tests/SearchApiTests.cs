using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>The search service's real registration on Kestrel (127.0.0.1), over a Lucene index written as the indexer writes it.</summary>
public sealed class SearchApiTests : IAsyncLifetime
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static readonly string[] Texts =
    [
        "Chinese President Xi Jinping assured President Joe Biden that China would not meddle in the 2024 elections.",
        "Meta removed thousands of fake accounts run from China that posed as Americans.",
        "The intelligence report says the CCP tried to influence the 2022 midterm elections.",
    ];

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-search-");
    LoopbackWebApp? _app;

    HttpClient Client => _app!.Client;
    readonly List<ArticleIngested> _articles = [];

    public async ValueTask InitializeAsync()
    {
        using (var index = new LuceneArticleIndex(Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName })))
        {
            foreach (var (text, i) in Texts.Select((t, i) => (t, i)))
            {
                var article = new ArticleIngested
                {
                    ArticleId = $"article-{i}",
                    Title = $"Story {i}",
                    Text = text,
                    ContentHash = ArticleIdentity.ContentHash(text),
                    IngestedAt = DateTimeOffset.UnixEpoch.AddDays(i),
                };
                _articles.Add(article);
                var claims = EnrichmentPayloads.Create(ClaimsPayload.EnricherName, "1", article, new ClaimsPayload { Claims = [], Tagger = "test" }, article.IngestedAt);
                await index.WriteAsync([article, claims], Cancel);
            }
        }

        _app = await LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
                builder.AddSearch();
            },
            app => app.MapSearch());
    }

    [Fact]
    public async Task Search_finds_the_matching_article_with_its_enrichers()
    {
        var results = await Client.GetFromJsonAsync<JsonElement>("/search?q=Xi%20Jinping", Cancel);

        Assert.Equal(1, results.GetProperty("total").GetInt64());
        var hit = results.GetProperty("hits")[0];
        Assert.Equal("article-0", hit.GetProperty("articleId").GetString());
        Assert.Equal("claims", hit.GetProperty("enrichers")[0].GetString());
    }

    [Fact]
    public async Task Empty_query_lists_every_article_and_pages()
    {
        var page = await Client.GetFromJsonAsync<JsonElement>("/search?size=2&from=2", Cancel);

        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public async Task Article_endpoint_returns_the_text_and_every_enrichment_or_404()
    {
        var article = await Client.GetFromJsonAsync<JsonElement>("/articles/article-1", Cancel);
        Assert.Equal(_articles[1].Text, article.GetProperty("article").GetProperty("text").GetString());
        Assert.True(article.GetProperty("enrichments").GetProperty("claims").GetProperty("current").GetBoolean());

        var missing = await Client.GetAsync("/articles/nope", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        IndexDirectories.Delete(_directory);
    }
}
