using System.Collections.Concurrent;

namespace Pipeline.Indexing.Writing;

/// <summary>
/// A dedicated thread (not a thread-pool one) on which the group-commit writer answers its waiting consumers, one
/// write's batches in their order.
/// </summary>
/// <remarks>
/// Why a thread of its own: when a consumer's wait ends, MassTransit finishes the batch and releases each of its
/// messages to be acknowledged, one work item per message, queued from the thread that ended the wait. Queued from a
/// thread-pool thread they land in that thread's local queue, which it runs newest first, so a batch of 500 was
/// acknowledged largely in reverse delivery order. RabbitMQ (3.10, here) keeps a channel's and a queue's unacknowledged
/// deliveries in delivery order and looks each single acknowledgement up from the oldest, so reverse order costs it a
/// scan of the batch per acknowledgement: the broker spent about 1 s of CPU per 1,000 articles, three times the raw
/// path's. Queued from this thread the work items go to the pool's global queue, which runs them in order.
/// </remarks>
public sealed class ConsumerAnswers : IDisposable
{
    readonly BlockingCollection<Action> _work = [];
    readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Thread _thread;

    public ConsumerAnswers()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "index consumer answers" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="answer"/> on the answering thread, after every answer posted before it.</summary>
    public void Post(Action answer)
    {
        try
        {
            _work.Add(answer);
        }
        catch (InvalidOperationException)
        {
            // Stopping (adding completed, or disposed): nothing will run it later, so run it here rather than leave a
            // consumer waiting.
            answer();
        }
    }

    /// <summary>Completes when every answer posted so far has run; later ones run on the caller's thread.</summary>
    public Task CompleteAsync()
    {
        _work.CompleteAdding();
        return _drained.Task;
    }

    int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _work.Dispose();
    }

    void Run()
    {
        foreach (var answer in _work.GetConsumingEnumerable())
        {
            try
            {
                answer();
            }
            catch (Exception)
            {
                // An answer only completes task sources; a consumer's own failure surfaces in its task, not here.
            }
        }

        _drained.TrySetResult();
    }
}
