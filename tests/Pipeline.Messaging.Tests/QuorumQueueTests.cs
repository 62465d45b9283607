using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Pipeline.Messaging.Broker;
using Pipeline.Processes;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Messaging.Tests;

public sealed record ProbeMessage(string Text);

public sealed class ProbeConsumer : IConsumer<ProbeMessage>
{
    public Task Consume(ConsumeContext<ProbeMessage> context) => Task.CompletedTask;
}

/// <summary>
/// The pipeline's queue declarations on a real RabbitMQ node: a service's consumer queue through the real
/// <see cref="MessagingExtensions.AddPipelineMessaging"/> (MassTransit's declaration and the service's own must agree, or
/// the start fails), what the broker then holds, and what it does with a message that kills its consumer.
/// </summary>
public sealed class QuorumQueueTests
{
    const string Queue = "probe-enricher";

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static IHost BuildService(string connectionString, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = connectionString, ["Messaging:HealthProbeCacheTime"] = "00:00:00" }
                .Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.AddPipelineMessaging(x => x.AddConsumer<ProbeConsumer>().Endpoint(e => e.Name = Queue));
        builder.AddPipelineParkingQueue("probe-dead-letter");
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        return builder.Build();
    }

    static Task<IConnection> ConnectAsync(RabbitMqNode node) =>
        new ConnectionFactory { Uri = new Uri(node.ConnectionString) }.CreateConnectionAsync(Cancel);

    /// <summary>
    /// Declares the queue again with these arguments: the broker accepts only the arguments the queue has, and names the
    /// first that differs (AMQP has no other way to read a queue's arguments without the management plugin).
    /// </summary>
    static async Task<string?> RedeclareAsync(IConnection connection, string queue, Dictionary<string, object?> arguments)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: Cancel);
            return null;
        }
        catch (OperationInterruptedException e)
        {
            return e.ShutdownReason?.ReplyText;
        }
    }

    static Dictionary<string, object?> QuorumConsumerArguments(string queue, int deliveryLimit) => new()
    {
        ["x-queue-type"] = "quorum",
        ["x-delivery-limit"] = deliveryLimit,
        ["x-dead-letter-exchange"] = "",
        ["x-dead-letter-routing-key"] = queue + "_error",
        ["x-dead-letter-strategy"] = "at-least-once",
        ["x-overflow"] = "reject-publish",
    };

    [Fact]
    public async Task A_quorum_queue_left_by_a_quorum_deployment_stops_a_classic_start_naming_its_type()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        using (var quorum = BuildService(node.ConnectionString))
        {
            await quorum.StartAsync(Cancel);
            await quorum.StopAsync(Cancel);
        }

        using var classic = BuildService(node.ConnectionString, ("Messaging:QueueType", "classic"));
        var error = await Assert.ThrowsAsync<QueueTypeMismatchException>(() => classic.StartAsync(Cancel));

        Assert.Equal(PipelineQueueType.Quorum, error.ExistingType);
        Assert.Contains("as a quorum queue, but Messaging:QueueType=classic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_declares_its_queue_as_a_quorum_queue_with_the_delivery_limit_and_its_parking_queues_as_quorum()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        using (var service = BuildService(node.ConnectionString, ("Messaging:DeliveryLimit", "7")))
        {
            await service.StartAsync(Cancel);
            await service.StopAsync(Cancel);
        }

        await using var connection = await ConnectAsync(node);
        Assert.Null(await RedeclareAsync(connection, Queue, QuorumConsumerArguments(Queue, 7)));
        Assert.Contains("'x-delivery-limit'", await RedeclareAsync(connection, Queue, QuorumConsumerArguments(Queue, 20)), StringComparison.Ordinal);
        Assert.Contains("'x-queue-type'", await RedeclareAsync(connection, Queue, QuorumConsumerArguments(Queue, 7).With("x-queue-type", "classic")), StringComparison.Ordinal);
        foreach (var parking in new[] { Queue + "_error", "probe-dead-letter" })
        {
            Assert.Null(await RedeclareAsync(connection, parking, new() { ["x-queue-type"] = "quorum" }));
        }
    }

    [Fact]
    public async Task A_message_that_kills_its_consumer_every_time_ends_in_the_error_queue_after_the_delivery_limit()
    {
        const int deliveryLimit = 3;
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        using (var service = BuildService(node.ConnectionString, ("Messaging:DeliveryLimit", deliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            await service.StartAsync(Cancel);
            await service.StopAsync(Cancel);
        }

        await using (var connection = await ConnectAsync(node))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancel))
        {
            await channel.BasicPublishAsync("", Queue, "poison"u8.ToArray(), Cancel);
        }

        // A consumer process that dies with the message in hand: its connection closes without an acknowledgement.
        var deliveries = 0;
        for (var attempt = 0; attempt < 3 * deliveryLimit; attempt++)
        {
            await using var connection = await ConnectAsync(node);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
            if (await channel.BasicGetAsync(Queue, autoAck: false, Cancel) is null)
            {
                break;
            }

            deliveries++;
            await connection.AbortAsync(Cancel);
        }

        await using var check = await ConnectAsync(node);
        await using var read = await check.CreateChannelAsync(cancellationToken: Cancel);
        Assert.Equal(deliveryLimit + 1, deliveries);
        Assert.Equal(0u, (await read.QueueDeclarePassiveAsync(Queue, Cancel)).MessageCount);
        var parked = await read.BasicGetAsync(Queue + "_error", autoAck: true, Cancel);
        Assert.NotNull(parked);
        Assert.Equal("poison", System.Text.Encoding.UTF8.GetString(parked.Body.Span));
        Assert.True(parked.BasicProperties.Headers?.ContainsKey("x-death"));
    }

    [Fact]
    public async Task A_classic_queue_left_from_before_stops_the_start_naming_the_queue_and_the_fix()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        await using (var connection = await ConnectAsync(node))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancel))
        {
            await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        }

        using var service = BuildService(node.ConnectionString);
        var error = await Assert.ThrowsAsync<QueueTypeMismatchException>(() => service.StartAsync(Cancel));

        Assert.Equal(Queue, error.Queue);
        Assert.Equal(PipelineQueueType.Classic, error.ExistingType);
        Assert.Contains($"'{Queue}' as a classic queue, but Messaging:QueueType=quorum", error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/reliability.md", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_queue_type_classic_a_service_starts_on_the_classic_queues_of_an_existing_deployment()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        await using (var connection = await ConnectAsync(node))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancel))
        {
            await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        }

        using var service = BuildService(node.ConnectionString, ("Messaging:QueueType", "classic"));
        await service.StartAsync(Cancel);
        var health = await service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Cancel);
        await service.StopAsync(Cancel);

        Assert.Equal(HealthStatus.Healthy, health.Entries["rabbitmq"].Status);
        await using var check = await ConnectAsync(node);
        Assert.Contains("'x-queue-type'", await RedeclareAsync(check, Queue, new() { ["x-queue-type"] = "quorum" }), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_queue_type_stops_the_start_naming_the_key()
    {
        using var service = BuildService("amqp://guest:guest@127.0.0.1:1", ("Messaging:QueueType", "stream"));

        var error = Assert.ThrowsAny<Exception>(() => service.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>().Value);

        Assert.Contains("QueueType", error.ToString(), StringComparison.Ordinal);
    }
}

static class ArgumentsExtensions
{
    public static Dictionary<string, object?> With(this Dictionary<string, object?> arguments, string key, object? value) =>
        new(arguments) { [key] = value };
}
