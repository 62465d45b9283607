using Pipeline.SearchStore;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Behaviour;

/// <summary>
/// The search behaviour suite on a real Elasticsearch cluster at ELASTICSEARCH_URL; without it every test reports skipped.
/// </summary>
public sealed class ElasticsearchSearchBehaviour : SearchBehaviourSuite
{
    readonly ElasticsearchStoreUnderTest _store = new("search-test", "search behaviour suite");

    protected override Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync() => _store.OpenAsync();

    protected override Task RefreshAsync() => _store.RefreshAsync(Cancel);

    public override ValueTask DisposeAsync() => _store.DisposeAsync();
}
