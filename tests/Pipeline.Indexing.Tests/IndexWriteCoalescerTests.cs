using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Indexing.Writing;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Tests;

public sealed class IndexWriteCoalescerTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Records each write; the first one blocks until released, as a slow commit would.</summary>
    sealed class GatedIndex : IArticleIndex
    {
        public TaskCompletionSource FirstWriteRelease { get; } = new();

        public List<int> WriteSizes { get; } = [];

        public async Task<IndexWrite> BeginWriteAsync(IReadOnlyList<object> messages, CancellationToken cancellationToken)
        {
            lock (WriteSizes)
            {
                WriteSizes.Add(messages.Count);
            }

            if (WriteSizes.Count == 1)
            {
                await FirstWriteRelease.Task;
            }

            return IndexWrite.Completed([.. messages.OfType<string>().Where(m => m.StartsWith("bad", StringComparison.Ordinal)).Select(m => new IndexRejection(m, m, "refused"))]);
        }
    }

    [Fact]
    public async Task Batches_queued_during_a_write_are_combined_into_the_next_single_write()
    {
        var index = new GatedIndex();
        using var writer = new IndexWriteCoalescer(index, Options.Create(new IndexingOptions()), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        var first = writer.WriteAsync(["a1"], Cancel);
        while (index.WriteSizes.Count == 0)
        {
            await Task.Delay(5, Cancel);
        }

        var second = writer.WriteAsync(["b1", "bad-1"], Cancel);
        var third = writer.WriteAsync(["c1", "c2", "c3"], Cancel);
        index.FirstWriteRelease.SetResult();

        Assert.Empty(await first);
        Assert.Equal(["bad-1"], (await second).Select(r => r.Message));
        Assert.Empty(await third);
        Assert.Equal([1, 5], index.WriteSizes);
        await writer.StopAsync(Cancel);
    }

    [Fact]
    public async Task Commit_interval_spaces_writes_so_that_more_batches_gather_into_one()
    {
        var index = new GatedIndex();
        index.FirstWriteRelease.SetResult();
        var options = new IndexingOptions { CommitInterval = TimeSpan.FromMilliseconds(300) };
        using var writer = new IndexWriteCoalescer(index, Options.Create(options), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);
        await writer.WriteAsync(["a"], Cancel);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var second = writer.WriteAsync(["b"], Cancel);
        var third = writer.WriteAsync(["c"], Cancel);
        await Task.WhenAll(second, third);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"The next write came after {clock.Elapsed.TotalMilliseconds} ms.");
        Assert.Equal([1, 2], index.WriteSizes);
        await writer.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_write_takes_whole_batches_up_to_half_the_prefetch_so_the_rest_can_arrive_meanwhile()
    {
        var index = new GatedIndex();
        var options = new IndexingOptions { BatchMessageLimit = 2, BatchConcurrencyLimit = 4 };
        Assert.Equal(4, options.EffectiveMaxMessagesPerWrite);
        using var writer = new IndexWriteCoalescer(index, Options.Create(options), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        var first = writer.WriteAsync(["a1"], Cancel);
        while (index.WriteSizes.Count == 0)
        {
            await Task.Delay(5, Cancel);
        }

        // Queued while the first write runs: 2 + 2 fill the next write; the third batch would pass the limit.
        var queued = new[] { writer.WriteAsync(["b1", "b2"], Cancel), writer.WriteAsync(["c1", "c2"], Cancel), writer.WriteAsync(["d1", "d2"], Cancel) };
        index.FirstWriteRelease.SetResult();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal([1, 4, 2], index.WriteSizes);
        await writer.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_store_failure_fails_every_batch_of_that_write_so_each_is_retried()
    {
        var index = new ThrowingIndex();
        using var writer = new IndexWriteCoalescer(index, Options.Create(new IndexingOptions()), NullLogger<IndexWriteCoalescer>.Instance);
        await writer.StartAsync(Cancel);

        await Assert.ThrowsAsync<IOException>(() => writer.WriteAsync(["a"], Cancel));
        await writer.StopAsync(Cancel);
    }

    sealed class ThrowingIndex : IArticleIndex
    {
        public Task<IndexWrite> BeginWriteAsync(IReadOnlyList<object> messages, CancellationToken cancellationToken) =>
            throw new IOException("disk full");
    }
}
