using Pipeline.SearchStore;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Behaviour;

/// <summary>The search behaviour suite on the embedded Lucene store: a real index directory, read by a separate reader as in the search process.</summary>
public sealed class LuceneSearchBehaviour : SearchBehaviourSuite
{
    readonly LuceneStoreUnderTest _store = new("pipeline-search-suite-");

    protected override Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync() => _store.OpenAsync();

    public override ValueTask DisposeAsync() => _store.DisposeAsync();
}
