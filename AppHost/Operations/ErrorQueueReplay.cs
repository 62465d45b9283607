using Pipeline.Messaging;
using Pipeline.Messaging.Broker;
using RabbitMQ.Client;

namespace Pipeline.AppHost.Operations;

/// <summary>
/// Moves the messages of a service's error queue (<c>{queue}_error</c>, where MassTransit puts a message whose retries
/// are spent) back to the queue, over AMQP: works with every broker mode, no management plugin needed. Each message is
/// republished with its headers and body (publisher confirms on) and only then removed from the error queue, so a crash
/// mid-way duplicates at most one message and loses none. Only the messages present at the start are moved: one that
/// fails again lands back in the error queue and waits for the next replay instead of looping.
/// </summary>
public static class ErrorQueueReplay
{
    /// <param name="connectionString">The broker's connection string: one amqp URI, or one per cluster node, comma-separated.</param>
    public static async Task<int> ReplayAsync(string connectionString, string queue, CancellationToken cancellationToken)
    {
        await using var connection = await BrokerConnection.Parse(connectionString).ConnectAsync("apphost error-queue replay", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

        var errorQueue = QueueNames.ErrorQueueOf(queue);
        uint waiting;
        try
        {
            waiting = (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // no error queue: nothing ever failed there
        }

        await using var target = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await target.QueueDeclarePassiveAsync(queue, cancellationToken); // the service's queue must exist: fail before moving anything
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            throw new InvalidOperationException(
                $"The broker has no queue {queue} (its service has not started yet, or the queue was deleted); nothing was moved from {errorQueue}.");
        }

        var moved = 0;
        while (moved < waiting && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } delivery)
        {
            var properties = new BasicProperties(delivery.BasicProperties);
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, delivery.Body, cancellationToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        return moved;
    }
}
