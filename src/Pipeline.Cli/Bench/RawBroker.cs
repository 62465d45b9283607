using System.Diagnostics;
using Pipeline.Messaging;
using Pipeline.Messaging.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.Cli.Bench;

/// <summary>Plain RabbitMQ.Client: the ceiling of the broker on this machine, and the publisher of every backlog.</summary>
public static class RawBroker
{
    public const string EnvelopeContentType = "application/vnd.masstransit+json";

    const int ConfirmWindow = 1_000;

    public static Task<IConnection> ConnectAsync(string connectionString) =>
        new ConnectionFactory { Uri = new Uri(connectionString), ConsumerDispatchConcurrency = 1 }.CreateConnectionAsync();

    /// <summary>
    /// Declares <paramref name="queue"/> as the services declare theirs (a quorum queue with its delivery limit, by
    /// default), so the raw ceilings run on the same kind of queue as the product, and the indexing queue can be
    /// declared before the service starts without the service's declaration being refused.
    /// </summary>
    public static async Task DeclareQueueAsync(IConnection connection, string queue, bool purge)
    {
        await PipelineQueues.DeclareAsync(connection, queue, PipelineQueueRole.Consumer, new MessagingOptions(), CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        if (purge)
        {
            await channel.QueuePurgeAsync(queue);
        }
    }

    public static async Task DeleteQueueAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }

    /// <summary>
    /// Publishes persistent messages to a queue with publisher confirms, keeping up to a window of confirms
    /// outstanding (never one at a time); returns the elapsed time.
    /// </summary>
    public static async Task<TimeSpan> PublishAsync(IConnection connection, string queue, IEnumerable<byte[]> bodies, Action<int>? progress = null)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { Persistent = true, ContentType = EnvelopeContentType };
        var pending = new List<Task>(ConfirmWindow);
        var clock = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            pending.Add(channel.BasicPublishAsync("", queue, mandatory: false, properties, body).AsTask());
            if (pending.Count == ConfirmWindow)
            {
                await Task.WhenAll(pending);
                progress?.Invoke(pending.Count);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        progress?.Invoke(pending.Count);
        return clock.Elapsed;
    }

    /// <summary>Consumes <paramref name="count"/> messages with the given prefetch, acknowledging in groups; returns the elapsed time.</summary>
    public static async Task<TimeSpan> ConsumeAsync(IConnection connection, string queue, int count, ushort prefetch)
    {
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, prefetch, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            received++;
            if (received % (prefetch / 2) == 0 || received == count)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }

            if (received == count)
            {
                done.TrySetResult();
            }
        };
        var clock = Stopwatch.StartNew();
        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        await done.Task;
        var elapsed = clock.Elapsed;
        await channel.BasicCancelAsync(tag);
        return elapsed;
    }

    /// <summary>Messages ready in a queue.</summary>
    public static async Task<long> QueueDepthAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>
    /// Routes what enrichers publish (<see cref="Contracts.ArticleEnriched"/>, to the exchange MassTransit names after the
    /// message type) into <paramref name="queue"/>, as the indexer's subscription does when it runs: for measuring an
    /// enricher without an indexer ever having started on the broker.
    /// </summary>
    public static async Task BindEnrichmentResultsAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        var exchange = typeof(Contracts.ArticleEnriched).Namespace + ":" + nameof(Contracts.ArticleEnriched);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.ExchangeBindAsync(queue, exchange, "");
    }
}
