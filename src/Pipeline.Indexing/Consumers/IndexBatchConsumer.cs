using System.Text.Json;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Indexing.Writing;
using Pipeline.Messaging;
using Pipeline.Messaging.Broker;

namespace Pipeline.Indexing.Consumers;

/// <summary>
/// Hands a batch of article messages, articles and enrichments together in queue order, to the group-commit writer.
/// Consuming the one <see cref="IArticleMessage"/> type is what lets an article and its enrichments, published
/// moments apart, land in the same batch and become one document write. MassTransit acknowledges the batch's messages
/// only when this returns, i.e. after the commit; a store failure throws and the whole batch is retried. Messages
/// whose documents the store refused, or that are no message the indexer knows, go to the dead-letter queue with the
/// reason, and the batch still succeeds.
/// </summary>
public sealed class IndexBatchConsumer(IndexWriteCoalescer writer, TimeProvider clock)
    : IConsumer<Batch<IArticleMessage>>
{
    public async Task Consume(ConsumeContext<Batch<IArticleMessage>> context)
    {
        var batch = context.Message;
        var messages = new List<IArticleMessage>(batch.Length);
        var unknown = new List<ConsumeContext<IArticleMessage>>();
        for (var i = 0; i < batch.Length; i++)
        {
            if (batch[i].TryGetMessage<ArticleIngested>(out var article))
            {
                messages.Add(article.Message);
            }
            else if (batch[i].TryGetMessage<ArticleEnriched>(out var enrichment))
            {
                messages.Add(enrichment.Message);
            }
            else
            {
                unknown.Add(batch[i]);
            }
        }

        IndexingTelemetry.RecordBatch(messages.Count);
        var rejections = messages.Count > 0 ? await writer.WriteAsync(messages, context.CancellationToken) : [];
        if (rejections.Count == 0 && unknown.Count == 0)
        {
            return;
        }

        var deadLetters = await context.GetSendEndpoint(PipelineQueues.SendAddress(QueueNames.IndexingDeadLetter));
        foreach (var rejection in rejections)
        {
            var type = rejection.Message.GetType();
            await DeadLetterAsync(
                deadLetters,
                rejection.ArticleId,
                type.Name,
                rejection.Reason,
                JsonSerializer.SerializeToElement(rejection.Message, type, EnrichmentPayloads.SerializerOptions),
                context.CancellationToken);
        }

        foreach (var message in unknown)
        {
            var types = string.Join(", ", message.SupportedMessageTypes);
            await DeadLetterAsync(
                deadLetters,
                message.Message.ArticleId ?? "",
                types,
                $"The indexer does not know the message type(s) {types}.",
                JsonSerializer.SerializeToElement(message.Message, EnrichmentPayloads.SerializerOptions),
                context.CancellationToken);
        }
    }

    async Task DeadLetterAsync(ISendEndpoint deadLetters, string articleId, string messageType, string reason, JsonElement original, CancellationToken cancellationToken)
    {
        await deadLetters.Send(
            new IndexingRejected
            {
                ArticleId = articleId,
                MessageType = messageType,
                Reason = reason,
                OriginalMessage = original,
                RejectedAt = clock.GetUtcNow(),
            },
            PipelineQueues.Mandatory,
            cancellationToken);
        IndexingTelemetry.RecordDeadLettered(messageType);
    }
}
