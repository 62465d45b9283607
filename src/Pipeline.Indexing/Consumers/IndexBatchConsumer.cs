using System.Diagnostics;
using MassTransit;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Consumers;

/// <summary>
/// Writes a batch of one message type to the store in one durable write. MassTransit acknowledges the batch's
/// messages only when this returns, i.e. after the commit; a throw leaves them all to be retried.
/// </summary>
public abstract class IndexBatchConsumer<TMessage>(IArticleIndex index) : IConsumer<Batch<TMessage>>
    where TMessage : class
{
    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        using var activity = IndexingTelemetry.Source.StartActivity($"index {typeof(TMessage).Name} batch");
        activity?.SetTag("batch.size", context.Message.Length);

        var started = Stopwatch.GetTimestamp();
        var messages = new object[context.Message.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = context.Message[i].Message;
        }

        await index.WriteAsync(messages, context.CancellationToken);
        IndexingTelemetry.RecordBatch(typeof(TMessage).Name, messages.Length, Stopwatch.GetElapsedTime(started));
    }
}
