using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Tests;

/// <summary>
/// What every search store must do, run against each one: the embedded Lucene store always, Elasticsearch when
/// ELASTICSEARCH_URL points at a cluster (skipped otherwise).
/// </summary>
public abstract class ArticleStoreSuite : IAsyncDisposable
{
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty store for one test; Elasticsearch skips the test here when no cluster is configured.</summary>
    protected abstract Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync();

    /// <summary>Makes acknowledged writes visible to search (Elasticsearch refreshes every second on its own).</summary>
    protected virtual Task RefreshAsync() => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    [Fact]
    public async Task Written_article_with_both_enrichments_is_searchable()
    {
        var (index, search) = await OpenAsync();
        var article = Messages.Article();

        Assert.Empty(await index.WriteAsync([article, Messages.Claims(article), Messages.Entities(article)], Cancel));
        await RefreshAsync();

        var hit = Assert.Single((await search.SearchAsync(new SearchRequest("interference"), Cancel)).Hits);
        Assert.Equal(article.ArticleId, hit.ArticleId);
        Assert.Equal(["claims", "entities"], hit.Enrichers);
        Assert.Equal(1, hit.ClaimCount);
        Assert.Contains("Q15031", hit.EntityIds);
    }

    [Fact]
    public async Task Enrichment_without_its_article_is_kept_but_not_searchable_until_the_article_lands()
    {
        var (index, search) = await OpenAsync();
        var article = Messages.Article();

        await index.WriteAsync([Messages.Claims(article)], Cancel);
        await RefreshAsync();
        Assert.Equal(0, (await search.SearchAsync(new SearchRequest(null), Cancel)).Total);
        Assert.Null(await search.GetAsync(article.ArticleId, Cancel));

        await index.WriteAsync([article], Cancel);
        await RefreshAsync();
        Assert.Equal(["claims"], (await search.GetAsync(article.ArticleId, Cancel))!.CurrentEnrichers);
    }

    [Fact]
    public async Task Redelivered_and_reordered_batches_leave_exactly_one_document_per_article()
    {
        var (index, search) = await OpenAsync();
        var articles = Enumerable.Range(0, 50).Select(i => Messages.Article($"a{i}")).ToList();
        IArticleMessage[] batch = [.. articles, .. articles.Select(a => Messages.Claims(a))];

        await index.WriteAsync(batch, Cancel);
        await index.WriteAsync(batch, Cancel);
        await index.WriteAsync([.. batch.Reverse()], Cancel);
        await RefreshAsync();

        Assert.Equal(50, (await search.SearchAsync(new SearchRequest(null, Size: 100), Cancel)).Total);
        Assert.Equal(50, (await search.SearchAsync(new SearchRequest("China", Size: 100), Cancel)).Total);
    }

    [Fact]
    public async Task Refused_documents_come_back_as_rejections_and_the_rest_of_the_write_is_durable()
    {
        var (index, search) = await OpenAsync();
        var good = Messages.Article("good");
        var bad = Messages.Article("bad");
        var malformed = Pipeline.Contracts.EnrichmentPayloads.Create("entities", "1", bad, new { entityIds = 42 }, Messages.T0);
        var huge = Messages.Article("huge") with { Source = new string('x', 40_000) };

        var rejections = await index.WriteAsync([good, bad, malformed, huge], Cancel);
        await RefreshAsync();

        Assert.Equal(["bad", "bad", "huge"], rejections.Select(r => r.ArticleId).Order());
        Assert.Contains(rejections, r => r.Reason.Contains("'entities' payload", StringComparison.Ordinal));
        Assert.NotNull(await search.GetAsync("good", Cancel));
        Assert.Null(await search.GetAsync("bad", Cancel));
        Assert.Null(await search.GetAsync("huge", Cancel));
    }

    [Fact]
    public async Task A_message_without_an_id_or_of_a_type_the_merge_does_not_know_is_refused_and_the_rest_is_durable()
    {
        var (index, search) = await OpenAsync();
        var good = Messages.Article("good");
        var withoutId = Messages.Article("no-id") with { ArticleId = null! };
        var stranger = new StrangerMessage("stranger");

        var rejections = await index.WriteAsync([good, withoutId, stranger], Cancel);
        await RefreshAsync();

        Assert.Equal(["", "stranger"], rejections.Select(r => r.ArticleId).Order(StringComparer.Ordinal));
        Assert.Same(stranger, Assert.Single(rejections, r => r.ArticleId == "stranger").Message);
        Assert.NotNull(await search.GetAsync("good", Cancel));
        Assert.Null(await search.GetAsync("stranger", Cancel));
    }

    /// <summary>An article message of a contract this build does not know, as a newer publisher might send.</summary>
    sealed record StrangerMessage(string ArticleId) : IArticleMessage;

    [Fact]
    public async Task Keyword_fields_are_matched_exactly_in_queries()
    {
        var (index, search) = await OpenAsync();
        var article = Messages.Article();
        await index.WriteAsync([article, Messages.Claims(article), Messages.Entities(article), Messages.Article("other")], Cancel);
        await RefreshAsync();

        Assert.Equal(1, (await search.SearchAsync(new SearchRequest("enricher:claims AND enricher:entities"), Cancel)).Total);
        Assert.Equal(1, (await search.SearchAsync(new SearchRequest("entity:Q15031"), Cancel)).Total);
        Assert.Equal(2, (await search.SearchAsync(new SearchRequest("source:example.com"), Cancel)).Total);
    }

    [Fact]
    public async Task Query_syntax_error_is_reported_as_such_and_names_the_query()
    {
        var (_, search) = await OpenAsync();

        var error = await Assert.ThrowsAsync<QuerySyntaxException>(() => search.SearchAsync(new SearchRequest("title:(unclosed"), Cancel));
        Assert.Contains("title:(unclosed", error.Message, StringComparison.Ordinal);
    }
}
