using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Indexing.Tests;

public sealed class ConcurrentReadWriteTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-index-");

    [Fact]
    public async Task Searches_never_fail_while_the_writer_commits_and_merges_segments()
    {
        var options = Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName, SegmentsPerTier = 2, MaxMergeAtOnce = 2 });
        using var index = new LuceneArticleIndex(options);
        using var search = new LuceneArticleSearch(options);

        var writing = Task.Run(
            async () =>
            {
                for (var i = 0; i < 150; i++)
                {
                    await index.WriteAsync([Messages.Article($"a{i}"), Messages.Claims(Messages.Article($"a{i}"))], Cancel);
                }
            },
            Cancel);
        var searches = 0;
        long last = 0;
        while (!writing.IsCompleted)
        {
            var total = (await search.SearchAsync(new SearchRequest("China"), Cancel)).Total;
            Assert.True(total >= last, "A search went back in time.");
            last = total;
            searches++;
        }

        await writing;
        Assert.Equal(150, (await search.SearchAsync(new SearchRequest("China"), Cancel)).Total);
        Assert.True(searches > 10);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
