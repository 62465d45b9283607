using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Indexing.Tests;

/// <summary>The embedded store has exactly one writer per index directory: a second one is refused at once, by name.</summary>
public sealed class LuceneSingleWriterTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-single-writer-");

    IOptions<SearchStoreOptions> Options => Microsoft.Extensions.Options.Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });

    [Fact]
    public void A_second_writer_on_the_same_index_directory_is_refused_at_once_with_a_message_naming_the_replicas_setting()
    {
        using var first = new LuceneArticleIndex(Options);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refused = Assert.Throws<InvalidOperationException>(() => new LuceneArticleIndex(Options));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Refused only after {clock.Elapsed}.");
        Assert.Contains("Pipeline:Replicas:indexing", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_directory.FullName, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_first_writer_is_disposed_another_may_open_the_index()
    {
        new LuceneArticleIndex(Options).Dispose();

        using var second = new LuceneArticleIndex(Options);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
