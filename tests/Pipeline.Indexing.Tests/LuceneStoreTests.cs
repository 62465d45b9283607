using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.Indexing.Tests;

/// <summary>The store suite on the embedded Lucene store, on a real index directory, read by a separate reader as in the search process.</summary>
public sealed class LuceneStoreSuite : ArticleStoreSuite
{
    readonly LuceneStoreUnderTest _store = new("pipeline-index-");

    protected override Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync() => _store.OpenAsync();

    public override ValueTask DisposeAsync() => _store.DisposeAsync();
}

/// <summary>What only the embedded store has to show: its reader in another process and its writer's restarts.</summary>
public sealed class LuceneStoreTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-index-");

    IOptions<SearchStoreOptions> Options => Microsoft.Extensions.Options.Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });

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

    [Theory]
    [InlineData("\"unterminated phrase")]
    [InlineData("AND")]
    public async Task Query_syntax_errors_of_the_lucene_syntax_are_reported_as_such(string query)
    {
        using var index = new LuceneArticleIndex(Options);
        using var search = new LuceneArticleSearch(Options);

        var error = await Assert.ThrowsAsync<QuerySyntaxException>(() => search.SearchAsync(new SearchRequest(query), Cancel));
        // One plain sentence naming where (here the first character, the quote or the operator), never the parser's message.
        Assert.StartsWith("The search text has a problem at character 1 ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(near \"{query[..Math.Min(query.Length, 3)]}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Encountered", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
