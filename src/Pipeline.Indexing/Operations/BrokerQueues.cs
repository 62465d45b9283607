using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Indexing.Operations;

/// <summary>The broker's queues as the operations see them, over AMQP (passive declares: no management plugin needed).</summary>
public sealed class BrokerQueues(IConfiguration configuration)
{
    public ConnectionFactory ConnectionFactory(string clientName) =>
        new() { Uri = new Uri(configuration.GetConnectionString("rabbitmq")!), ClientProvidedName = clientName };

    /// <summary>Whether the queue exists, without creating it (a passive declare answers 404 for a missing queue).</summary>
    public async Task<bool> ExistsAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectionFactory("indexing operations").CreateConnectionAsync(cancellationToken);
        return await ExistsAsync(connection, queue, cancellationToken) is not null;
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
