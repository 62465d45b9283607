using Microsoft.Extensions.Options;
using Pipeline.Messaging;
using Pipeline.Messaging.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Indexing.Operations;

/// <summary>The broker's queues as the operations see them, over AMQP (passive declares: no management plugin needed).</summary>
public sealed class BrokerQueues(BrokerConnection broker, IOptions<MessagingOptions> messaging)
{
    /// <summary>A connection to the first broker node that answers (<c>ConnectionStrings:rabbitmq</c> may list a cluster).</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken) => broker.ConnectAsync(clientName, cancellationToken);

    /// <summary>Whether the queue exists, without creating it (a passive declare answers 404 for a missing queue).</summary>
    public async Task<bool> ExistsAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync("indexing operations", cancellationToken);
        return await ExistsAsync(connection, queue, cancellationToken) is not null;
    }

    /// <summary>Declares a consumer queue (and its _error queue) as its service would, so that what is sent before the service first starts waits for it.</summary>
    public async Task DeclareConsumerQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync("indexing operations", cancellationToken);
        await PipelineQueues.DeclareAsync(connection, queue, PipelineQueueRole.Consumer, messaging.Value, cancellationToken);
    }

    /// <summary>The queue's depth and consumers, or null when it does not exist.</summary>
    public static async Task<QueueDeclareOk?> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A failed passive declare closes its channel: one channel per question.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }
}
