using Pipeline.SearchStore;
using Pipeline.Testing;

namespace Pipeline.Indexing.Tests;

/// <summary>
/// The store suite on a real Elasticsearch cluster at ELASTICSEARCH_URL; without it every test reports skipped.
/// </summary>
public sealed class ElasticsearchStoreSuite : ArticleStoreSuite
{
    readonly ElasticsearchStoreUnderTest _store = new("articles-test", "store suite");

    protected override Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync() => _store.OpenAsync();

    protected override Task RefreshAsync() => _store.RefreshAsync(Cancel);

    public override ValueTask DisposeAsync() => _store.DisposeAsync();
}
