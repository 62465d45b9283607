using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// The embedded store's write side: one IndexWriter for the process. A write merges its messages into the current
/// documents and updates every touched article once by its id; it is durable when a commit that began after it has
/// finished, and only then does its <see cref="IndexWrite.Durable"/> complete, so a caller that acknowledges messages
/// afterwards never acknowledges a lost write.
/// <para>
/// Writes are pipelined: a commit (flushing the new segments and syncing them, most of a write's cost after the
/// merge) runs while the next write is merged, and one commit covers every write merged before it began. The merge
/// needs the current documents, including those of writes not committed yet: they come from the documents those
/// writes produced, kept until a reader of the committed index shows them, and the rest from that committed
/// reader. (A near-real-time reader would show them too, but opening one flushes the uncommitted documents on the
/// merging thread, which is the very work the commit does beside it.)
/// </para>
/// <para>
/// When the store fails (a commit or an update throws), the writer is rolled back to its last commit and reopened,
/// and every write not covered by a commit by then fails, so its messages are delivered again.
/// </para>
/// </summary>
public sealed class LuceneArticleIndex : IArticleIndex, IDisposable
{
    /// <summary>The AppHost setting that runs indexing more than once, named when a second writer is refused.</summary>
    public const string SingleWriterSetting = "Pipeline:Replicas:indexing";

    const string WriterLockFile = "writer.lock";

    /// <summary>Articles in a write from which it is built on several threads.</summary>
    const int ParallelWriteMinimum = 200;

    readonly SearchStoreOptions _settings;
    readonly int _writeThreads;
    readonly FSDirectory _directory;
    readonly FileStream _writerLock;

    /// <summary>One write merges at a time; one commit runs at a time (beside a merge).</summary>
    readonly SemaphoreSlim _mergeLock = new(1, 1);
    readonly SemaphoreSlim _commitLock = new(1, 1);

    /// <summary>Guards the writer's replacement after a failure.</summary>
    readonly System.Threading.Lock _reopenLock = new();

    /// <summary>
    /// Documents of the writes the committed reader does not show yet, oldest first, by write number and writer
    /// generation. Used and changed by the merging write only.
    /// </summary>
    readonly LinkedList<(long Write, int Generation, IReadOnlyDictionary<string, ArticleDocument> Documents)> _uncommitted = new();

    IndexWriter _writer;
    DirectoryReader _committed;

    /// <summary>Incremented when the writer is rolled back: a write merged into an older generation is lost.</summary>
    int _generation;
    long _lastWrite;

    /// <summary>The last write whose merge has finished, and the last one a successful commit covers.</summary>
    long _merged;
    long _durable;
    int _disposed;

    /// <summary>The clock of <see cref="SearchFields.Indexed"/>: every document of a write gets the time its merge began.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public LuceneArticleIndex(IOptions<SearchStoreOptions> options)
        : this(options, OpenDirectory(options.Value.LucenePath))
    {
    }

    /// <summary>A store writing to the given directory (which it disposes), e.g. one that fails on purpose in a test.</summary>
    public LuceneArticleIndex(IOptions<SearchStoreOptions> options, FSDirectory directory)
    {
        _settings = options.Value;
        _writeThreads = _settings.WriteThreads > 0 ? _settings.WriteThreads : Environment.ProcessorCount;
        _directory = directory;
        _writerLock = HoldWriterLock(directory.Directory.FullName);
        try
        {
            _writer = OpenWriter();
            _committed = DirectoryReader.Open(_directory);
        }
        catch
        {
            _writerLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Holds <c>{index}/writer.lock</c> open exclusively (flock on Linux) for as long as this writer lives. Lucene's own
    /// write.lock refuses a second writer in this process but, with Lucene.NET's lock factory on Linux, not one in
    /// another process (measured: a second indexing process started and reported healthy). The kernel releases the
    /// lock when the process dies, so a crashed indexer leaves nothing stale behind.
    /// </summary>
    static FileStream HoldWriterLock(string path)
    {
        try
        {
            return new FileStream(Path.Combine(path, WriterLockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw SecondWriter(path, e);
        }
    }

    /// <summary>
    /// Waiting for the lock would leave the second instance looking healthy while it writes nothing; breaking it would
    /// corrupt the index. So the second writer fails at once and says which setting to change.
    /// </summary>
    static InvalidOperationException SecondWriter(string path, Exception cause) => new(
        $"The Lucene index at {path} already has a writer (another indexing instance holds its lock). The embedded Lucene " +
        $"store allows exactly one: run indexing once ({SingleWriterSetting}=1), or use Elasticsearch " +
        "(ConnectionStrings:elasticsearch) to run several.",
        cause);

    static FSDirectory OpenDirectory(string path)
    {
        System.IO.Directory.CreateDirectory(path);

        // Positional reads rather than memory maps (FSDirectory.Open's choice on 64-bit): the writer only reads for
        // merges and for the current version of the documents it updates, and mapping every segment it touches would
        // add the whole index's file pages to the indexing process's resident memory while it drains a backlog.
        return new NIOFSDirectory(path);
    }

    IndexWriter OpenWriter()
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
        IndexWriter writer;
        try
        {
            writer = new IndexWriter(_directory, config);
        }
        catch (LockObtainFailedException e)
        {
            throw SecondWriter(_directory.Directory.FullName, e);
        }

        // An empty first commit, so that readers in other processes find an index from the start.
        writer.Commit();
        return writer;
    }

    public async Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return IndexWrite.Completed([]);
        }

        await _mergeLock.WaitAsync(cancellationToken);
        long write;
        int generation;
        IReadOnlyList<IndexRejection> rejections;
        try
        {
            ThrowIfDisposed();
            IndexWriter writer;
            lock (_reopenLock)
            {
                (writer, generation) = (_writer, _generation);
            }

            write = ++_lastWrite;
            var documents = new ConcurrentDictionary<string, ArticleDocument>(StringComparer.Ordinal);
            try
            {
                rejections = Merge(writer, generation, messages, documents, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                RollBack(generation);
                throw;
            }

            _uncommitted.AddLast((write, generation, documents));
            Volatile.Write(ref _merged, write);
        }
        finally
        {
            _mergeLock.Release();
        }

        return new IndexWrite(Task.Run(() => CommitAsync(write, generation, rejections), CancellationToken.None));
    }

    /// <summary>Merges and updates every article of the write; the documents it wrote go to <paramref name="documents"/>.</summary>
    IReadOnlyList<IndexRejection> Merge(IndexWriter writer, int generation, IReadOnlyList<IArticleMessage> messages, ConcurrentDictionary<string, ArticleDocument> documents, CancellationToken cancellationToken)
    {
        RefreshCommittedReader(generation);
        var committed = _committed;
        var uncommitted = _uncommitted.Reverse().Select(u => u.Documents).ToList();

        // Merging, JSON and text analysis are CPU work per document: a large write is spread over the cores
        // (IndexWriter takes concurrent updates, one in-memory segment per thread). A small one stays on one
        // thread, so that it flushes one segment at its commit, not one per thread. A message deserialised with a null
        // id (the contract says it has one; JSON may not) is grouped as "" and refused below.
        var groups = messages.GroupBy(m => m.ArticleId ?? "", StringComparer.Ordinal).ToList();
        var indexedAt = Clock.GetUtcNow();
        var refused = new ConcurrentBag<IndexRejection>();
        var threads = groups.Count >= ParallelWriteMinimum ? _writeThreads : 1;
        Parallel.ForEach(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            () => new WriteThread(new CurrentDocuments(committed), LuceneFields.Builder()),
            (group, _, thread) =>
            {
                try
                {
                    if (string.IsNullOrWhiteSpace(group.Key))
                    {
                        throw new InvalidDataException("The article id is empty.");
                    }

                    var current = uncommitted.Select(u => u.GetValueOrDefault(group.Key)).FirstOrDefault(d => d is not null)
                        ?? thread.Current.Find(group.Key);
                    var merged = DocumentMerge.Apply(current, group.Key, group).Stamped(current, indexedAt);

                    // A document Lucene refuses (an immense term, say) leaves the writer usable and the previous
                    // version of the document in place; only its own messages are rejected.
                    writer.UpdateDocument(new Term(LuceneFields.Id, group.Key), thread.Builder.Build(merged));
                    documents[group.Key] = merged;
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
        return [.. refused];
    }

    /// <summary>
    /// Opens the newest commit, if there is one, and forgets the documents of the writes it shows and of the writes
    /// lost to a rollback (those are delivered again).
    /// </summary>
    void RefreshCommittedReader(int generation)
    {
        // Read before opening: the commit that covered this write had finished, so the reader opened next shows it.
        var durable = Volatile.Read(ref _durable);
        if (DirectoryReader.OpenIfChanged(_committed) is { } newer)
        {
            _committed.Dispose();
            _committed = newer;
        }

        for (var node = _uncommitted.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Write <= durable || node.Value.Generation != generation)
            {
                _uncommitted.Remove(node);
            }

            node = next;
        }
    }

    async Task<IReadOnlyList<IndexRejection>> CommitAsync(long write, int generation, IReadOnlyList<IndexRejection> rejections)
    {
        await _commitLock.WaitAsync();
        try
        {
            ThrowIfDisposed();
            IndexWriter writer;
            lock (_reopenLock)
            {
                if (generation != _generation)
                {
                    throw new IOException("The index writer was rolled back after a failure before this write was committed; it will be written again.");
                }

                writer = _writer;
            }

            if (Volatile.Read(ref _durable) >= write)
            {
                return rejections;
            }

            // Every write merged by now is in this commit (a merge still running may be partly in it too: harmless,
            // as merging is idempotent and that write is acknowledged only after a commit of its own).
            var covered = Volatile.Read(ref _merged);
            var started = Stopwatch.GetTimestamp();
            try
            {
                writer.Commit();
            }
            catch (Exception)
            {
                RollBack(generation);
                throw;
            }

            StoreTelemetry.RecordCommit(Stopwatch.GetElapsedTime(started));
            Volatile.Write(ref _durable, covered);
            return rejections;
        }
        finally
        {
            _commitLock.Release();
        }
    }

    /// <summary>
    /// Rolls the writer back to its last commit and opens a fresh one, once per failure: writes merged into the failed
    /// generation, committed by nothing yet, then fail at their commit and are delivered again.
    /// </summary>
    void RollBack(int failedGeneration)
    {
        lock (_reopenLock)
        {
            if (failedGeneration != _generation)
            {
                return;
            }

            _generation++;
            try
            {
                _writer.Rollback();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // A writer that cannot even roll back is closed anyway; the fresh one opens on the last commit.
            }

            _writer = OpenWriter();
        }
    }

    /// <summary>What one indexing thread of a write keeps: its id lookup and its reusable document fields.</summary>
    sealed record WriteThread(CurrentDocuments Current, LuceneDocumentBuilder Builder);

    public void Dispose()
    {
        // The container may dispose it twice (it is registered as itself and as IArticleIndex).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Let a running merge and commit finish; a write still waiting for either then fails (it is not durable, so
        // its messages are delivered again) instead of waiting forever.
        _mergeLock.Wait();
        _commitLock.Wait();
        try
        {
            _committed.Dispose();
            _writer.Dispose();
            _directory.Dispose();
            _writerLock.Dispose();
        }
        finally
        {
            _commitLock.Release();
            _mergeLock.Release();
        }
    }

    void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}
