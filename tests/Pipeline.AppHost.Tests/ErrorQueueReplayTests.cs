using System.Text;
using Pipeline.AppHost.Operations;
using Pipeline.Processes;
using RabbitMQ.Client;

namespace Pipeline.AppHost.Tests;

/// <summary>The "Replay error queue" command's operation against a real RabbitMQ node.</summary>
public sealed class ErrorQueueReplayTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_moves_every_error_message_back_to_its_queue_with_body_and_headers()
    {
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        await channel.QueueDeclareAsync("claims-enricher", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        await channel.QueueDeclareAsync("claims-enricher_error", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        for (var i = 0; i < 3; i++)
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Headers = new Dictionary<string, object?> { ["MT-Reason"] = "fault" } };
            await channel.BasicPublishAsync("", "claims-enricher_error", mandatory: false, properties, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), Cancel);
        }

        var moved = await ErrorQueueReplay.ReplayAsync(broker.ConnectionString, "claims-enricher", Cancel);

        Assert.Equal(3, moved);
        Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync("claims-enricher_error", Cancel)).MessageCount);
        var bodies = new List<string>();
        while (await channel.BasicGetAsync("claims-enricher", autoAck: true, Cancel) is { } delivery)
        {
            bodies.Add(Encoding.UTF8.GetString(delivery.Body.Span));
            Assert.Equal("application/vnd.masstransit+json", delivery.BasicProperties.ContentType);
            Assert.True(delivery.BasicProperties.Headers?.ContainsKey("MT-Reason"));
        }

        Assert.Equal(["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"], bodies);
    }

    [Fact]
    public async Task Replay_of_a_service_that_never_failed_moves_nothing_and_a_missing_target_queue_moves_nothing_either()
    {
        await using var broker = await RabbitMqNode.StartAsync(Cancel);
        var factory = new ConnectionFactory { Uri = new Uri(broker.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        await channel.QueueDeclareAsync("orphan_error", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        await channel.BasicPublishAsync("", "orphan_error", Encoding.UTF8.GetBytes("{}"), Cancel);

        Assert.Equal(0, await ErrorQueueReplay.ReplayAsync(broker.ConnectionString, "indexing", Cancel));
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => ErrorQueueReplay.ReplayAsync(broker.ConnectionString, "orphan", Cancel));
        Assert.Contains("no queue orphan", missing.Message, StringComparison.Ordinal);
        Assert.Equal(1u, (await channel.QueueDeclarePassiveAsync("orphan_error", Cancel)).MessageCount);
    }
}
