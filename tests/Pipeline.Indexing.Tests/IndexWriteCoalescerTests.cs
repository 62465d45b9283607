using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Indexing.Writing;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Tests;

public sealed class IndexWriteCoalescerTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>One article message per id: the writer groups and answers messages, it never looks inside them.</summary>
    static IArticleMessage[] Articles(params string[] ids) => [.. ids.Select(id => Messages.Article(id))];

    /// <summary>Records each write; the first one blocks until released, as a slow commit would.</summary>
    sealed class GatedIndex : IArticleIndex
    {
        public TaskCompletionSource FirstWriteRelease { get; } = new();

        public List<int> WriteSizes { get; } = [];

        /// <summary>When each write began (<see cref="Stopwatch"/> timestamps).</summary>
        public List<long> WriteStarts { get; } = [];

        public async Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken)
        {
            lock (WriteSizes)
            {
                WriteSizes.Add(messages.Count);
                WriteStarts.Add(Stopwatch.GetTimestamp());
            }

            if (WriteSizes.Count == 1)
            {
                await FirstWriteRelease.Task;
            }

            return IndexWrite.Completed([.. messages.Where(m => m.ArticleId.StartsWith("bad", StringComparison.Ordinal)).Select(m => new IndexRejection(m, m.ArticleId, "refused"))]);
        }
    }

    [Fact]
    public async Task Batches_queued_during_a_write_are_combined_into_the_next_single_write()
    {
        var index = new GatedIndex();
        using var writer = new IndexWriteCoalescer(index, Options.Create(new IndexingOptions()), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        var first = writer.WriteAsync(Articles("a1"), Cancel);
        while (index.WriteSizes.Count == 0)
        {
            await Task.Delay(5, Cancel);
        }

        var second = writer.WriteAsync(Articles("b1", "bad-1"), Cancel);
        var third = writer.WriteAsync(Articles("c1", "c2", "c3"), Cancel);
        index.FirstWriteRelease.SetResult();

        Assert.Empty(await first);
        Assert.Equal(["bad-1"], (await second).Select(r => r.Message.ArticleId));
        Assert.Empty(await third);
        Assert.Equal([1, 5], index.WriteSizes);
        await writer.StopAsync(Cancel);
    }

    [Fact]
    public async Task Commit_interval_spaces_writes_so_that_more_batches_gather_into_one()
    {
        var index = new GatedIndex();
        var options = new IndexingOptions { CommitInterval = TimeSpan.FromMilliseconds(300) };
        using var writer = new IndexWriteCoalescer(index, Options.Create(options), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);
        var first = writer.WriteAsync(Articles("a"), Cancel);
        while (index.WriteSizes.Count == 0)
        {
            await Task.Delay(5, Cancel);
        }

        // Both batches queue while the first write is still in the store; the interval counts from when it returned.
        var second = writer.WriteAsync(Articles("b"), Cancel);
        var third = writer.WriteAsync(Articles("c"), Cancel);
        var released = Stopwatch.GetTimestamp();
        index.FirstWriteRelease.SetResult();
        await Task.WhenAll(first, second, third);

        var gap = Stopwatch.GetElapsedTime(released, index.WriteStarts[1]);
        Assert.True(gap >= TimeSpan.FromMilliseconds(250), $"The next write began {gap.TotalMilliseconds} ms after the first returned.");
        Assert.Equal([1, 2], index.WriteSizes);
        await writer.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_consumer_resumes_off_the_thread_pool_and_what_it_queues_then_runs_in_the_order_queued()
    {
        // What MassTransit does when a batch consumer returns: one work item per message, which acknowledges it.
        // Queued from a thread-pool thread these would run newest first (the thread's local queue), and RabbitMQ pays
        // a scan for every acknowledgement that is not of its oldest unacknowledged delivery.
        var run = await ConsumeAndAcknowledgeAsync();
        for (var attempt = 1; run.CompletedBeforeAwait && attempt < 5; attempt++)
        {
            // The write finished before the consumer awaited it, so it went on synchronously: not the case under test.
            run = await ConsumeAndAcknowledgeAsync();
        }

        Assert.False(run.CompletedBeforeAwait);
        Assert.False(run.ResumedOnPool);

        // The broker looks each acknowledgement up from its oldest unacknowledged delivery: count what it passes over.
        // The pool runs the items from its global queue on several threads, so neighbours may swap; newest first, as
        // from a pool thread's local queue, it would pass over about 250 on average.
        var acknowledged = run.Acknowledged;
        var passedOver = acknowledged.Select((delivery, position) => delivery - acknowledged.Take(position).Count(earlier => earlier < delivery)).Average();
        Assert.True(passedOver < 10, $"Each acknowledgement passed over {passedOver:F1} older unacknowledged ones: {string.Join(' ', acknowledged.Take(40))} ...");
    }

    static async Task<(bool CompletedBeforeAwait, bool ResumedOnPool, List<int> Acknowledged)> ConsumeAndAcknowledgeAsync()
    {
        var index = new GatedIndex();
        using var writer = new IndexWriteCoalescer(index, Options.Create(new IndexingOptions()), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        var acknowledged = new List<int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var awaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Task.Run(
            async () =>
            {
                // As in MassTransit's pipeline: no synchronization context, and ConfigureAwait(false) throughout.
                var write = writer.WriteAsync(Articles("a"), Cancel);
                awaiting.SetResult();
                var before = Environment.CurrentManagedThreadId;
                await write.ConfigureAwait(false);

                // Still on the same thread: the write was done before the await, which then went on synchronously.
                var completedBeforeAwait = Environment.CurrentManagedThreadId == before;
                var onPool = Thread.CurrentThread.IsThreadPoolThread;
                for (var tag = 0; tag < 500; tag++)
                {
                    var delivery = tag;
                    _ = Task.Run(
                        () =>
                        {
                            lock (acknowledged)
                            {
                                acknowledged.Add(delivery);
                                if (acknowledged.Count == 500)
                                {
                                    all.SetResult();
                                }
                            }
                        },
                        Cancel);
                }

                return (completedBeforeAwait, onPool);
            },
            Cancel);

        await awaiting.Task;
        await Task.Delay(20, Cancel);
        index.FirstWriteRelease.SetResult();
        var (completed, resumedOnPool) = await consumer;
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        await writer.StopAsync(Cancel);
        return (completed, resumedOnPool, acknowledged);
    }

    [Fact]
    public async Task Answers_run_in_the_order_posted_and_after_completion_on_the_posting_thread()
    {
        using var answers = new ConsumerAnswers();
        var ran = new List<(int Answer, bool OnPool)>();
        for (var i = 0; i < 100; i++)
        {
            var answer = i;
            answers.Post(() => ran.Add((answer, Thread.CurrentThread.IsThreadPoolThread)));
        }

        await answers.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        answers.Post(() => ran.Add((100, Thread.CurrentThread.IsThreadPoolThread)));

        Assert.Equal(Enumerable.Range(0, 101), ran.Select(r => r.Answer));
        Assert.DoesNotContain(ran.Take(100), r => r.OnPool);
    }

    [Fact]
    public async Task A_write_takes_whole_batches_up_to_half_the_prefetch_so_the_rest_can_arrive_meanwhile()
    {
        var index = new GatedIndex();
        var options = new IndexingOptions { BatchMessageLimit = 2, BatchConcurrencyLimit = 4 };
        Assert.Equal(4, options.EffectiveMaxMessagesPerWrite);
        using var writer = new IndexWriteCoalescer(index, Options.Create(options), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        var first = writer.WriteAsync(Articles("a1"), Cancel);
        while (index.WriteSizes.Count == 0)
        {
            await Task.Delay(5, Cancel);
        }

        // Queued while the first write runs: 2 + 2 fill the next write; the third batch would pass the limit.
        var queued = new[] { writer.WriteAsync(Articles("b1", "b2"), Cancel), writer.WriteAsync(Articles("c1", "c2"), Cancel), writer.WriteAsync(Articles("d1", "d2"), Cancel) };
        index.FirstWriteRelease.SetResult();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal([1, 4, 2], index.WriteSizes);
        await writer.StopAsync(Cancel);
    }

    /// <summary>Records each write when it begins; each write becomes durable only when the test says so.</summary>
    sealed class SlowCommitIndex : IArticleIndex
    {
        public List<(int Size, TaskCompletionSource<IReadOnlyList<IndexRejection>> Commit)> Begun { get; } = [];

        public Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken)
        {
            var commit = new TaskCompletionSource<IReadOnlyList<IndexRejection>>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Begun)
            {
                Begun.Add((messages.Count, commit));
            }

            return Task.FromResult(new IndexWrite(commit.Task));
        }

        public int Count
        {
            get
            {
                lock (Begun)
                {
                    return Begun.Count;
                }
            }
        }
    }

    [Fact]
    public async Task A_small_group_waits_for_the_previous_commit_but_a_whole_write_begins_while_it_still_commits()
    {
        var index = new SlowCommitIndex();
        var options = new IndexingOptions { BatchMessageLimit = 2, BatchConcurrencyLimit = 4 };
        using var writer = new IndexWriteCoalescer(index, Options.Create(options), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        var first = writer.WriteAsync(Articles("a1"), Cancel);
        while (index.Count == 0)
        {
            await Task.Delay(5, Cancel);
        }

        // One small batch: not worth a write of its own while the first still commits.
        var second = writer.WriteAsync(Articles("b1"), Cancel);
        await Task.Delay(200, Cancel);
        Assert.Equal(1, index.Count);

        // With a whole write's worth (4 messages) waiting, the next write begins beside the running commit.
        var third = writer.WriteAsync(Articles("c1", "c2", "c3"), Cancel);
        while (index.Count < 2)
        {
            await Task.Delay(5, Cancel);
        }

        Assert.Equal(4, index.Begun[1].Size);
        Assert.False(first.IsCompleted);
        index.Begun[1].Commit.SetResult([]);
        await Task.WhenAll(second, third);
        Assert.False(first.IsCompleted);
        index.Begun[0].Commit.SetResult([]);
        await first;
        await writer.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_store_failure_fails_every_batch_of_that_write_so_each_is_retried()
    {
        var index = new ThrowingIndex();
        using var writer = new IndexWriteCoalescer(index, Options.Create(new IndexingOptions()), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        await Assert.ThrowsAsync<IOException>(() => writer.WriteAsync(Articles("a"), Cancel));
        await writer.StopAsync(Cancel);
    }

    sealed class ThrowingIndex : IArticleIndex
    {
        public Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken) =>
            throw new IOException("disk full");
    }
}
