using System.Text.Json;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Messaging.Broker;

namespace Pipeline.Indexing.Operations;

/// <summary>A dead letter the replay left where it was, and why.</summary>
public sealed record KeptDeadLetter(string ArticleId, string MessageType, string Reason);

/// <summary>What a dead-letter replay did: messages sent back to the indexer, and those it could not unwrap.</summary>
public sealed record DeadLetterReplayResult(int Replayed, int Kept, IReadOnlyList<KeptDeadLetter> KeptMessages);

/// <summary>
/// Replays the indexing dead-letter queue after a fix (of the indexer, the store's mapping, or the store itself): each
/// <see cref="IndexingRejected"/> is unwrapped and its original <see cref="ArticleIngested"/> or <see cref="ArticleEnriched"/>
/// sent to the indexer's queue (publisher-confirmed) before the dead letter is removed, so a crash mid-way duplicates at
/// most one message (the merge is idempotent) and loses none. Only the messages present at the start are read; one the
/// store refuses again comes back as a new dead letter instead of looping. A dead letter whose original cannot be
/// rebuilt stays in the queue and is listed: a message type the indexer did not know was kept only as its
/// <see cref="IArticleMessage"/> part, so its article has to be ingested again instead.
/// </summary>
public sealed class DeadLetterReplay(BrokerQueues broker, IBus bus, ILogger<DeadLetterReplay> logger)
{
    public async Task<DeadLetterReplayResult> ReplayAsync(CancellationToken cancellationToken)
    {
        await using var connection = await broker.ConnectAsync("indexing dead-letter replay", cancellationToken);
        if (await BrokerQueues.ExistsAsync(connection, QueueNames.IndexingDeadLetter, cancellationToken) is not { } queue)
        {
            return new DeadLetterReplayResult(0, 0, []);
        }

        var indexer = await bus.GetSendEndpoint(PipelineQueues.SendAddress(QueueNames.Indexing));
        var kept = new List<KeptDeadLetter>();
        var replayed = 0;

        // Kept messages stay unacknowledged until the channel closes, so this loop does not get them again.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        for (var i = 0; i < queue.MessageCount; i++)
        {
            if (await channel.BasicGetAsync(QueueNames.IndexingDeadLetter, autoAck: false, cancellationToken) is not { } delivery)
            {
                break;
            }

            switch (Unwrap(delivery.Body))
            {
                case (ArticleIngested article, _):
                    await indexer.Send(article, PipelineQueues.Mandatory, cancellationToken);
                    break;
                case (ArticleEnriched enrichment, _):
                    await indexer.Send(enrichment, PipelineQueues.Mandatory, cancellationToken);
                    break;
                case (_, var why):
                    kept.Add(why);
                    continue;
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }

        logger.LogWarning(
            "Dead-letter replay: {Replayed} messages sent back to {Queue}, {Kept} kept in {DeadLetterQueue}",
            replayed, QueueNames.Indexing, kept.Count, QueueNames.IndexingDeadLetter);
        return new DeadLetterReplayResult(replayed, kept.Count, kept);
    }

    /// <summary>The original message inside a dead letter (a MassTransit envelope around <see cref="IndexingRejected"/>), or why there is none.</summary>
    public static (IArticleMessage? Original, KeptDeadLetter Why) Unwrap(ReadOnlyMemory<byte> body)
    {
        IndexingRejected? rejected;
        try
        {
            using var envelope = JsonDocument.Parse(body);
            rejected = envelope.RootElement.TryGetProperty("message", out var message)
                ? message.Deserialize<IndexingRejected>(EnrichmentPayloads.SerializerOptions)
                : null;
        }
        catch (JsonException e)
        {
            return (null, new KeptDeadLetter("", "", $"Not an IndexingRejected envelope: {e.Message}"));
        }

        if (rejected is null)
        {
            return (null, new KeptDeadLetter("", "", "Not an IndexingRejected envelope: no message."));
        }

        IArticleMessage? original = rejected.MessageType switch
        {
            nameof(ArticleIngested) => rejected.OriginalMessage.Deserialize<ArticleIngested>(EnrichmentPayloads.SerializerOptions),
            nameof(ArticleEnriched) => rejected.OriginalMessage.Deserialize<ArticleEnriched>(EnrichmentPayloads.SerializerOptions),
            _ => null,
        };
        return original is null
            ? (null, new KeptDeadLetter(rejected.ArticleId, rejected.MessageType,
                $"Only the IArticleMessage part of a {rejected.MessageType} was kept ({rejected.Reason}); ingest the article again."))
            : (original, new KeptDeadLetter(rejected.ArticleId, rejected.MessageType, ""));
    }
}
