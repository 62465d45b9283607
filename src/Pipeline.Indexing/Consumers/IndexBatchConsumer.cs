using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Indexing.Writing;

namespace Pipeline.Indexing.Consumers;

/// <summary>
/// Hands a batch of one message type to the group-commit writer. MassTransit acknowledges the batch's messages only
/// when this returns, i.e. after the commit; a store failure throws and the whole batch is retried. Messages whose
/// documents the store refused go to the dead-letter queue with the reason, and the batch still succeeds.
/// </summary>
public abstract class IndexBatchConsumer<TMessage>(IndexWriteCoalescer writer, IOptions<IndexingOptions> options, TimeProvider clock)
    : IConsumer<Batch<TMessage>>
    where TMessage : class
{
    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        var messages = new object[context.Message.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = context.Message[i].Message;
        }

        IndexingTelemetry.RecordBatch(typeof(TMessage).Name, messages.Length);
        var rejections = await writer.WriteAsync(messages, context.CancellationToken);
        if (rejections.Count == 0)
        {
            return;
        }

        var deadLetters = await context.GetSendEndpoint(new Uri($"queue:{options.Value.DeadLetterQueue}"));
        foreach (var rejection in rejections)
        {
            await deadLetters.Send(
                new IndexingRejected
                {
                    ArticleId = rejection.ArticleId,
                    MessageType = rejection.Message.GetType().Name,
                    Reason = rejection.Reason,
                    OriginalMessage = JsonSerializer.SerializeToElement(rejection.Message, rejection.Message.GetType(), EnrichmentPayloads.SerializerOptions),
                    RejectedAt = clock.GetUtcNow(),
                },
                context.CancellationToken);
            IndexingTelemetry.RecordDeadLettered(rejection.Message.GetType().Name);
        }
    }
}
