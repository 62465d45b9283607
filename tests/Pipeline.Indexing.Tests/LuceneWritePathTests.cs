using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Indexing.Tests;

/// <summary>The embedded store's write path: reused document fields, the primary-key lookup, parallel writes.</summary>
public sealed class LuceneWritePathTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("pipeline-write-path-");

    IOptions<SearchStoreOptions> Options => Microsoft.Extensions.Options.Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });

    static ArticleDocument Document(string id, params string[] qids)
    {
        var article = Messages.Article(id, $"Article {id} quotes {string.Join(" and ", qids)}.");
        return DocumentMerge.Apply(null, id, [article, Messages.Claims(article, claims: qids.Length), Messages.Entities(article, "1.0.0", qids)]);
    }

    /// <summary>Every field as name, value and how it is indexed, stored and kept as doc values.</summary>
    static List<string> Describe(Document document) =>
        [.. document.Fields.Select(f =>
            $"{f.Name}={f.GetStringValue() ?? f.GetBinaryValue()?.Utf8ToString() ?? (f.NumericType == NumericFieldType.DOUBLE ? f.GetDoubleValue()?.ToString(System.Globalization.CultureInfo.InvariantCulture) : f.GetInt64Value()?.ToString(System.Globalization.CultureInfo.InvariantCulture))} " +
            $"indexed={f.IndexableFieldType.IsIndexed} tokenized={f.IndexableFieldType.IsTokenized} stored={f.IndexableFieldType.IsStored} " +
            $"docValues={f.IndexableFieldType.DocValueType}")];

    [Fact]
    public void A_builder_reused_from_document_to_document_builds_exactly_what_a_fresh_one_builds()
    {
        var documents = new[]
        {
            Document("a", "Q15031", "Q6279", "Q148"),
            Document("b", "Q956"),
            DocumentMerge.Apply(null, "c", [Messages.Claims(Messages.Article("c"))]),
            Document("d", "Q15031", "Q6279", "Q148", "Q956", "Q8333"),
        };
        var reused = LuceneFields.Builder();

        foreach (var document in documents)
        {
            Assert.Equal(Describe(LuceneFields.ToLucene(document)), Describe(reused.Build(document)));
        }
    }

    [Fact]
    public async Task The_id_lookup_finds_the_latest_version_in_whichever_segment_holds_it_and_nothing_for_unknown_ids()
    {
        using (var index = new LuceneArticleIndex(Options))
        {
            var first = Messages.Article("first");
            var second = Messages.Article("second");
            await index.WriteAsync([first, second], Cancel);
            await index.WriteAsync([Messages.Claims(first)], Cancel);
            await index.WriteAsync([Messages.Article("third")], Cancel);
        }

        using var directory = FSDirectory.Open(_directory.FullName);
        using var reader = DirectoryReader.Open(directory);
        Assert.True(reader.Leaves.Count > 1, "the writes should have left several segments");
        var current = new CurrentDocuments(reader);

        Assert.Equal(["claims"], current.Find("first")!.Enrichments.Keys);
        Assert.Empty(current.Find("second")!.Enrichments);
        Assert.NotNull(current.Find("third"));
        Assert.Null(current.Find("unknown"));
    }

    [Fact]
    public async Task A_write_large_enough_to_be_built_on_several_threads_leaves_each_article_once_and_complete()
    {
        var messages = new List<IArticleMessage>();
        var articles = Enumerable.Range(0, 600).Select(i => Messages.Article($"article-{i:D4}")).ToList();
        messages.AddRange(articles);
        messages.AddRange(articles.Select(a => Messages.Claims(a)));
        messages.AddRange(articles.Select(a => Messages.Entities(a)));

        using (var index = new LuceneArticleIndex(Options))
        {
            Assert.Empty(await index.WriteAsync(messages, Cancel));

            // The same messages again (a redelivery) change nothing.
            Assert.Empty(await index.WriteAsync(messages, Cancel));
        }

        using var search = new LuceneArticleSearch(Options);
        Assert.Equal(600, (await search.SearchAsync(new SearchRequest("enricher:claims AND enricher:entities"), Cancel)).Total);
        Assert.Equal(600, (await search.SearchAsync(new SearchRequest(null), Cancel)).Total);
    }

    [Fact]
    public async Task Disposing_the_store_ends_every_write_still_waiting_for_a_commit_instead_of_leaving_it_hanging()
    {
        var index = new LuceneArticleIndex(Options);
        var writes = new List<IndexWrite>();
        for (var i = 0; i < 8; i++)
        {
            writes.Add(await index.BeginWriteAsync([Messages.Article($"article-{i}")], Cancel));
        }

        index.Dispose();

        // Each write either made it into a commit or fails (and is delivered again); none waits forever.
        var ended = Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w.Durable;
            }
            catch (ObjectDisposedException)
            {
            }
        }));
        await ended.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}

/// <summary>Pipelined writes: merged while the previous ones commit, durable only after a commit of their own.</summary>
public sealed class LucenePipelinedWriteTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("pipeline-pipelined-");

    IOptions<SearchStoreOptions> Options => Microsoft.Extensions.Options.Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });

    /// <summary>A directory whose file syncs (every commit's) fail while <see cref="Failing"/> is set: a disk gone bad.</summary>
    sealed class FailingDirectory(string path) : NIOFSDirectory(path)
    {
        public volatile bool Failing;

        public override void Sync(ICollection<string> names)
        {
            if (Failing)
            {
                throw new IOException("No space left on device.");
            }

            base.Sync(names);
        }
    }

    [Fact]
    public async Task Writes_begun_before_the_previous_ones_are_durable_still_merge_into_what_those_wrote()
    {
        var articles = Enumerable.Range(0, 20).Select(i => Messages.Article($"article-{i:D2}")).ToList();
        var writes = new List<IndexWrite>();
        using (var index = new LuceneArticleIndex(Options))
        {
            // Each article's three parts in three successive writes, none waiting for the previous one's commit.
            foreach (var part in new Func<ArticleIngested, IArticleMessage>[] { a => a, a => Messages.Claims(a), a => Messages.Entities(a) })
            {
                foreach (var chunk in articles.Chunk(5))
                {
                    writes.Add(await index.BeginWriteAsync([.. chunk.Select(part)], Cancel));
                }
            }

            foreach (var write in writes)
            {
                Assert.Empty(await write.Durable);
            }
        }

        using var search = new LuceneArticleSearch(Options);
        Assert.Equal(20, (await search.SearchAsync(new SearchRequest("enricher:claims AND enricher:entities", Size: 50), Cancel)).Total);
        foreach (var article in articles)
        {
            Assert.Equal(["claims", "entities"], (await search.GetAsync(article.ArticleId, Cancel))!.CurrentEnrichers.Order());
        }
    }

    [Fact]
    public async Task A_failed_commit_fails_its_write_and_the_store_takes_the_retry_and_later_writes_after_it()
    {
        var directory = new FailingDirectory(_directory.FullName);
        var first = Messages.Article("first");
        var second = Messages.Article("second");
        using (var index = new LuceneArticleIndex(Options, directory))
        {
            Assert.Empty(await index.WriteAsync([first], Cancel));

            directory.Failing = true;
            var failed = await index.BeginWriteAsync([second, Messages.Claims(first)], Cancel);
            await Assert.ThrowsAsync<IOException>(() => failed.Durable);

            directory.Failing = false;
            Assert.Empty(await index.WriteAsync([second, Messages.Claims(first)], Cancel));
            Assert.Empty(await index.WriteAsync([Messages.Entities(first)], Cancel));
        }

        using var search = new LuceneArticleSearch(Options);
        Assert.Equal(2, (await search.SearchAsync(new SearchRequest(null), Cancel)).Total);
        Assert.Equal(["claims", "entities"], (await search.GetAsync("first", Cancel))!.CurrentEnrichers.Order());
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
