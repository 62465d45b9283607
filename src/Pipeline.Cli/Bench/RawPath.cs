using Lucene.Net.Analysis.En;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.Cli.Bench;

/// <summary>
/// C3: the simplest code that does the indexer's job: a raw RabbitMQ.Client consumer with manual acks reads the
/// envelopes, merges every article's messages with what the index already has (the same merge rules), updates the
/// documents in one raw IndexWriter, commits, and only then acknowledges. No MassTransit, no batching framework,
/// no group commit, no second process.
/// </summary>
public sealed class RawPath : IAsyncDisposable
{
    const int BatchSize = 500;

    readonly FSDirectory _directory;
    readonly IndexWriter _writer;
    readonly SearcherManager _searchers;
    readonly List<(ulong Tag, IArticleMessage Message)> _buffer = [];
    IChannel? _channel;

    public RawPath(string indexPath)
    {
        _directory = FSDirectory.Open(indexPath);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new EnglishAnalyzer(LuceneVersion.LUCENE_48))
        {
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 64,
        });
        _writer.Commit();
        _searchers = new SearcherManager(_writer, true, null);
    }

    /// <summary>Starts consuming <paramref name="expected"/> messages; the returned task ends when all are committed and acknowledged.</summary>
    public async Task RunAsync(IConnection connection, string queue, int expected, ushort prefetch)
    {
        _channel = await connection.CreateChannelAsync();
        await _channel.BasicQosAsync(0, prefetch, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            _buffer.Add((delivery.DeliveryTag, BenchCorpus.FromEnvelope(delivery.Body.Span)));
            received++;
            if (_buffer.Count >= BatchSize || received == expected)
            {
                await FlushAsync();
            }

            if (received == expected)
            {
                done.TrySetResult();
            }
        };
        await _channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        await done.Task;
    }

    async Task FlushAsync()
    {
        _searchers.MaybeRefreshBlocking();
        var searcher = _searchers.Acquire();
        try
        {
            foreach (var group in _buffer.GroupBy(b => b.Message.ArticleId))
            {
                var top = searcher.Search(new TermQuery(new Term(LuceneFields.Id, group.Key)), 1);
                var current = top.TotalHits == 0 ? null : LuceneFields.FromLucene(searcher.Doc(top.ScoreDocs[0].Doc));
                var merged = DocumentMerge.Apply(current, group.Key, group.Select(g => g.Message));
                _writer.UpdateDocument(new Term(LuceneFields.Id, group.Key), LuceneFields.ToLucene(merged));
            }
        }
        finally
        {
            _searchers.Release(searcher);
        }

        _writer.Commit();
        await _channel!.BasicAckAsync(_buffer[^1].Tag, multiple: true);
        _buffer.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }
}
