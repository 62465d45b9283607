using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// The embedded store's write side: one IndexWriter for the process. Each call merges its messages into the
/// current documents (read through a near-real-time reader), updates every touched article once by its id, and
/// commits before returning, so a caller that acknowledges messages afterwards never acknowledges a lost write.
/// </summary>
public sealed class LuceneArticleIndex : IArticleIndex, IDisposable
{
    /// <summary>Articles in a write from which it is built on several threads.</summary>
    const int ParallelWriteMinimum = 200;

    readonly SearchStoreOptions _settings;
    readonly int _writeThreads;
    readonly FSDirectory _directory;
    readonly SemaphoreSlim _writeLock = new(1, 1);
    IndexWriter _writer;
    SearcherManager _searchers;

    public LuceneArticleIndex(IOptions<SearchStoreOptions> options)
    {
        _settings = options.Value;
        _writeThreads = _settings.WriteThreads > 0 ? _settings.WriteThreads : Environment.ProcessorCount;
        System.IO.Directory.CreateDirectory(_settings.LucenePath);
        // Positional reads rather than memory maps (FSDirectory.Open's choice on 64-bit): the writer only reads for
        // merges and for the current version of the documents it updates, and mapping every segment it touches would
        // add the whole index's file pages to the indexing process's resident memory while it drains a backlog.
        _directory = new NIOFSDirectory(_settings.LucenePath);
        (_writer, _searchers) = Open();
    }

    (IndexWriter, SearcherManager) Open()
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, LuceneAnalysis.CreateAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            RAMBufferSizeMB = _settings.RamBufferMb,
            MergePolicy = new TieredMergePolicy
            {
                SegmentsPerTier = _settings.SegmentsPerTier,
                MaxMergeAtOnce = _settings.MaxMergeAtOnce,
                MaxMergedSegmentMB = _settings.MaxMergedSegmentMb,
            },
        };
        var writer = new IndexWriter(_directory, config);

        // An empty first commit, so that readers in other processes find an index from the start.
        writer.Commit();
        return (writer, new SearcherManager(writer, applyAllDeletes: true, searcherFactory: null));
    }

    public async Task<IReadOnlyList<IndexRejection>> WriteAsync(IReadOnlyList<object> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var rejections = new List<IndexRejection>();

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _searchers.MaybeRefreshBlocking();
            var searcher = _searchers.Acquire();
            try
            {
                // Merging, JSON and text analysis are CPU work per document: a large write is spread over the cores
                // (IndexWriter takes concurrent updates, one in-memory segment per thread). A small one stays on one
                // thread, so that it flushes one segment at its commit, not one per thread.
                var groups = messages.GroupBy(IndexMessages.ArticleIdOf, StringComparer.Ordinal).ToList();
                var refused = new ConcurrentBag<IndexRejection>();
                var threads = groups.Count >= ParallelWriteMinimum ? _writeThreads : 1;
                Parallel.ForEach(
                    groups,
                    new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
                    () => new WriteThread(new CurrentDocuments(searcher.IndexReader), LuceneFields.Builder()),
                    (group, _, thread) =>
                    {
                        try
                        {
                            if (string.IsNullOrWhiteSpace(group.Key))
                            {
                                throw new InvalidDataException("The article id is empty.");
                            }

                            var merged = DocumentMerge.Apply(thread.Current.Find(group.Key), group.Key, group);

                            // A document Lucene refuses (an immense term, say) leaves the writer usable and the previous
                            // version of the document in place; only its own messages are rejected.
                            _writer.UpdateDocument(new Term(LuceneFields.Id, group.Key), thread.Builder.Build(merged));
                        }
                        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException)
                        {
                            foreach (var message in group)
                            {
                                refused.Add(new IndexRejection(message, group.Key, e.Message));
                            }
                        }

                        return thread;
                    },
                    _ => { });
                rejections.AddRange(refused);
            }
            finally
            {
                _searchers.Release(searcher);
            }

            var commitStarted = Stopwatch.GetTimestamp();
            _writer.Commit();
            StoreTelemetry.RecordCommit(Stopwatch.GetElapsedTime(commitStarted));
            return rejections;
        }
        catch
        {
            // Nothing of a failed batch may survive into a later commit (its messages will be redelivered), so the
            // uncommitted changes are rolled back, which closes the writer, and a fresh writer opens on the last commit.
            _searchers.Dispose();
            _writer.Rollback();
            (_writer, _searchers) = Open();
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>What one indexing thread of a write keeps: its id lookup and its reusable document fields.</summary>
    sealed record WriteThread(CurrentDocuments Current, LuceneDocumentBuilder Builder);

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _writeLock.Dispose();
    }
}
