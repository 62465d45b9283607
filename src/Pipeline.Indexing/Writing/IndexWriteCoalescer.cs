using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Writing;

/// <summary>
/// Group commit. Batch consumers hand their messages here and wait; a single loop takes what has queued up (from
/// every consumer, both message types, up to <see cref="IndexingOptions.EffectiveMaxMessagesPerWrite"/>) and makes it
/// one store write. So an article and its enrichments that arrive together become one document write, the number of
/// commits stays low under load, and the store sees one writer. The loop takes the next group as soon as the store
/// has merged the previous one, so a store that commits in the background (Lucene) commits one group while it merges
/// the next. A consumer's wait ends when its messages are durable, and only then does it acknowledge them.
/// <para>
/// Consumers are answered in delivery order on a thread of their own (<see cref="ConsumerAnswers"/>), so that their
/// messages are acknowledged in delivery order; see there why that matters to the broker.
/// </para>
/// </summary>
public sealed class IndexWriteCoalescer(IArticleIndex index, IOptions<IndexingOptions> options, ILogger<IndexWriteCoalescer> logger) : BackgroundService
{
    readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Messages waiting in the queue, and the signal that a whole write's worth is waiting.</summary>
    int _queued;
    TaskCompletionSource _fullWriteQueued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    readonly ConsumerAnswers _answers = new();

    /// <summary>Writes the messages durably (together with whatever else is queued) and returns the refused ones.</summary>
    public Task<IReadOnlyList<IndexRejection>> WriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(messages);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The index writer is stopping.");
        }

        if (Interlocked.Add(ref _queued, messages.Count) >= options.Value.EffectiveMaxMessagesPerWrite)
        {
            Volatile.Read(ref _fullWriteQueued).TrySetResult();
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingWrite>();
        var lastWrite = Stopwatch.GetTimestamp();
        Task previous = Task.CompletedTask;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // The next write starts once the previous one is durable, or earlier, while the store still commits it,
                // when a whole write's worth of messages is waiting: under load writes stay large and overlap with the
                // commits; when little arrives, a write is not split into many small ones each paying for a commit.
                await WhenPreviousDurableOrFullWriteQueuedAsync(previous, stoppingToken);

                // A commit interval trades latency for fewer, larger commits: more batches gather meanwhile.
                var wait = options.Value.CommitInterval - Stopwatch.GetElapsedTime(lastWrite);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stoppingToken);
                }

                group.Clear();
                var count = 0;
                var limit = options.Value.EffectiveMaxMessagesPerWrite;
                while (_queue.Reader.TryPeek(out var next) && (count == 0 || count + next.Messages.Count <= limit))
                {
                    _queue.Reader.TryRead(out var pending);
                    group.Add(pending!);
                    count += pending!.Messages.Count;
                }

                Interlocked.Add(ref _queued, -count);
                previous = await BeginGroupAsync([.. group], count, stoppingToken);
                lastWrite = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is still queued was not written and will be redelivered by the broker.
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Completion.TrySetCanceled(CancellationToken.None);
            }

            // A write already handed to the store finishes its commit (or fails) before the store is disposed, and its
            // consumers are answered.
            await previous;
            await _answers.CompleteAsync();
        }
    }

    async Task WhenPreviousDurableOrFullWriteQueuedAsync(Task previous, CancellationToken stoppingToken)
    {
        if (previous.IsCompleted)
        {
            return;
        }

        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _fullWriteQueued, full);
        if (Volatile.Read(ref _queued) >= options.Value.EffectiveMaxMessagesPerWrite)
        {
            return;
        }

        await Task.WhenAny(previous, full.Task).WaitAsync(stoppingToken);
    }

    /// <summary>
    /// Hands the group to the store and returns once the store may take the next one, with a task that completes when
    /// the group is durable (or failed); the group's consumers are answered then, which for a pipelining store happens
    /// while the next group is merged.
    /// </summary>
    async Task<Task> BeginGroupAsync(List<PendingWrite> group, int count, CancellationToken stoppingToken)
    {
        var activity = IndexingTelemetry.Source.StartActivity("index write");
        activity?.SetTag("messages", count);
        activity?.SetTag("consumer.batches", group.Count);
        var started = Stopwatch.GetTimestamp();
        var messages = new List<IArticleMessage>(count);
        foreach (var pending in group)
        {
            messages.AddRange(pending.Messages);
        }

        IndexWrite write;
        try
        {
            write = await index.BeginWriteAsync(messages, stoppingToken);
        }
        catch (Exception e)
        {
            Fail(group, count, activity, e);
            activity?.Dispose();
            if (e is OperationCanceledException && stoppingToken.IsCancellationRequested)
            {
                throw;
            }

            return Task.CompletedTask;
        }

        return CompleteWhenDurableAsync(group, count, write, started, activity);
    }

    async Task CompleteWhenDurableAsync(List<PendingWrite> group, int count, IndexWrite write, long started, Activity? activity)
    {
        try
        {
            var rejections = await write.Durable;
            logger.LogDebug("Wrote {Count} messages from {Batches} batches in {Ms} ms", count, group.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            IndexingTelemetry.RecordWrite(count, rejections.Count, Stopwatch.GetElapsedTime(started));
            var byMessage = rejections.ToLookup(r => r.Message, ReferenceEqualityComparer.Instance);
            _answers.Post(() =>
            {
                foreach (var pending in group)
                {
                    pending.Completion.TrySetResult([.. pending.Messages.SelectMany(m => byMessage[m])]);
                }
            });
        }
        catch (Exception e)
        {
            Fail(group, count, activity, e);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    /// <summary>The store itself failed: nothing of this group is durable, so every consumer retries its batch.</summary>
    void Fail(List<PendingWrite> group, int count, Activity? activity, Exception e)
    {
        logger.LogWarning(e, "Writing {Count} messages to the store failed; their batches will be retried", count);
        activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        _answers.Post(() =>
        {
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(e);
            }
        });
    }

    public override void Dispose()
    {
        _answers.Dispose();
        base.Dispose();
    }

    sealed record PendingWrite(IReadOnlyList<IArticleMessage> Messages)
    {
        /// <summary>
        /// Completed on the <see cref="ConsumerAnswers"/> thread, where the consumer's continuation runs inline (no
        /// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> on purpose).
        /// </summary>
        public TaskCompletionSource<IReadOnlyList<IndexRejection>> Completion { get; } = new();
    }
}
