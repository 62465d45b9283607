using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Indexing.Tests;

/// <summary>The embedded store on a real index directory; the reader is a separate instance, as in the search process.</summary>
public sealed class LuceneStoreTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-index-");

    IOptions<SearchStoreOptions> Options => Microsoft.Extensions.Options.Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });

    [Fact]
    public async Task Written_article_with_both_enrichments_is_searchable_by_a_separate_reader()
    {
        var article = Messages.Article();
        using (var index = new LuceneArticleIndex(Options))
        {
            await index.WriteAsync([article, Messages.Claims(article), Messages.Entities(article)], Cancel);
        }

        using var search = new LuceneArticleSearch(Options);
        var results = await search.SearchAsync(new SearchRequest("interference"), Cancel);

        var hit = Assert.Single(results.Hits);
        Assert.Equal(article.ArticleId, hit.ArticleId);
        Assert.Equal(["claims", "entities"], hit.Enrichers);
        Assert.Equal(1, hit.ClaimCount);
        Assert.Contains("Q15031", hit.EntityIds);
    }

    [Fact]
    public async Task Keyword_fields_are_matched_exactly_in_queries()
    {
        var article = Messages.Article();
        using var index = new LuceneArticleIndex(Options);
        await index.WriteAsync([article, Messages.Claims(article), Messages.Entities(article), Messages.Article("other")], Cancel);
        using var search = new LuceneArticleSearch(Options);

        Assert.Equal(1, (await search.SearchAsync(new SearchRequest("enricher:claims AND enricher:entities"), Cancel)).Total);
        Assert.Equal(1, (await search.SearchAsync(new SearchRequest("entity:Q15031"), Cancel)).Total);
        Assert.Equal(2, (await search.SearchAsync(new SearchRequest("source:example.com"), Cancel)).Total);
    }

    [Fact]
    public async Task Reader_sees_each_new_commit_without_reopening()
    {
        using var index = new LuceneArticleIndex(Options);
        using var search = new LuceneArticleSearch(Options);
        Assert.Equal(0, (await search.SearchAsync(new SearchRequest(null), Cancel)).Total);

        await index.WriteAsync([Messages.Article("a"), Messages.Article("b")], Cancel);

        Assert.Equal(2, (await search.SearchAsync(new SearchRequest(null), Cancel)).Total);
    }

    [Fact]
    public async Task Enrichment_without_its_article_is_stored_but_not_searchable_until_the_article_lands()
    {
        var article = Messages.Article();
        using var index = new LuceneArticleIndex(Options);
        using var search = new LuceneArticleSearch(Options);

        await index.WriteAsync([Messages.Claims(article)], Cancel);
        Assert.Equal(0, (await search.SearchAsync(new SearchRequest(null), Cancel)).Total);
        Assert.Null(await search.GetAsync(article.ArticleId, Cancel));

        await index.WriteAsync([article], Cancel);
        var document = await search.GetAsync(article.ArticleId, Cancel);
        Assert.Equal(["claims"], document!.CurrentEnrichers);
    }

    [Fact]
    public async Task Redelivered_batch_leaves_exactly_one_document_per_article()
    {
        var articles = Enumerable.Range(0, 50).Select(i => Messages.Article($"a{i}")).ToList();
        object[] batch = [.. articles, .. articles.Select(a => Messages.Claims(a))];
        using var index = new LuceneArticleIndex(Options);
        using var search = new LuceneArticleSearch(Options);

        await index.WriteAsync(batch, Cancel);
        await index.WriteAsync(batch, Cancel);
        await index.WriteAsync([.. batch.Reverse()], Cancel);

        Assert.Equal(50, (await search.SearchAsync(new SearchRequest(null, Size: 100), Cancel)).Total);
        Assert.Equal(50, (await search.SearchAsync(new SearchRequest("China", Size: 100), Cancel)).Total);
    }

    [Fact]
    public async Task Index_survives_a_reopen_of_the_writer()
    {
        using (var index = new LuceneArticleIndex(Options))
        {
            await index.WriteAsync([Messages.Article("a")], Cancel);
        }

        using (var index = new LuceneArticleIndex(Options))
        {
            await index.WriteAsync([Messages.Claims(Messages.Article("a"))], Cancel);
        }

        using var search = new LuceneArticleSearch(Options);
        Assert.Equal(["claims"], (await search.GetAsync("a", Cancel))!.CurrentEnrichers);
    }

    [Fact]
    public async Task Refused_documents_come_back_as_rejections_and_the_rest_of_the_write_is_committed()
    {
        var good = Messages.Article("good");
        var bad = Messages.Article("bad");
        var huge = Messages.Article("huge") with { Source = new string('x', 40_000) };
        var malformed = Pipeline.Contracts.EnrichmentPayloads.Create("entities", "1", bad, new { entityIds = 42 }, Messages.T0);
        using var index = new LuceneArticleIndex(Options);
        using var search = new LuceneArticleSearch(Options);

        var rejections = await index.WriteAsync([good, bad, malformed, huge], Cancel);

        Assert.Equal(["bad", "bad", "huge"], rejections.Select(r => r.ArticleId).Order());
        Assert.Contains(rejections, r => r.Reason.Contains("'entities' payload", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Reason.Contains("'source'", StringComparison.Ordinal));
        Assert.NotNull(await search.GetAsync("good", Cancel));
        Assert.Null(await search.GetAsync("bad", Cancel));
    }

    [Theory]
    [InlineData("title:(unclosed")]
    [InlineData("\"unterminated phrase")]
    [InlineData("AND")]
    public async Task Query_syntax_error_is_reported_as_such(string query)
    {
        using var index = new LuceneArticleIndex(Options);
        using var search = new LuceneArticleSearch(Options);

        var error = await Assert.ThrowsAsync<QuerySyntaxException>(() => search.SearchAsync(new SearchRequest(query), Cancel));
        Assert.Contains(query, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
