using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Search.Tests.Behaviour;

/// <summary>The search behaviour suite on the embedded Lucene store: a real index directory, read by a separate reader as in the search process.</summary>
public sealed class LuceneSearchBehaviour : SearchBehaviourSuite
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-search-suite-");
    LuceneArticleIndex? _index;
    LuceneArticleSearch? _search;

    protected override Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync()
    {
        var options = Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });
        _index = new LuceneArticleIndex(options);
        _search = new LuceneArticleSearch(options);
        return Task.FromResult<(IArticleIndex, IArticleSearch)>((_index, _search));
    }

    public override ValueTask DisposeAsync()
    {
        _index?.Dispose();
        _search?.Dispose();
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
