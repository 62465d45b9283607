using System.Text;
using System.Text.Json;
using Pipeline.Processes;
using Pipeline.Testing;
using RabbitMQ.Client;

namespace Pipeline.AppHost.Tests;

/// <summary>The local cluster of <see cref="RabbitMqCluster"/>: real nodes, real SIGKILLs.</summary>
public sealed class RabbitMqClusterTests(ITestOutputHelper output)
{
    const string Queue = "cluster-test";
    const int Messages = 50;
    static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_quorum_queue_keeps_its_messages_when_its_leader_is_killed_and_the_killed_node_rejoins_on_restart()
    {
        if (!RabbitMqNode.IsInstalled)
        {
            Assert.Skip("Needs rabbitmq-server.");
        }

        await using var cluster = await RabbitMqCluster.StartAsync(3, Cancel);
        var names = cluster.Nodes.Select(n => n.NodeName).ToList();
        Assert.Equal(3, names.Distinct().Count());
        Assert.Equal(3, cluster.ConnectionString.Split(',').Distinct().Count());
        await AllRunningAsync(cluster, cluster.Nodes[0]);

        await PublishToQuorumQueueAsync(cluster.Nodes[0]);
        var leader = await LeaderAsync(cluster);
        output.WriteLine($"Leader of {Queue}: {leader.NodeName}");

        leader.Kill();
        Assert.False(leader.IsRunning);
        var survivor = cluster.Nodes.First(n => n != leader);
        var received = new HashSet<string>();
        await Eventually.HoldsAsync(
            _ => ConsumeIntoAsync(survivor, received), count => count == Messages, RecoveryTimeout, $"{Messages} messages consumed through {survivor.NodeName} after {leader.NodeName} was killed", Cancel);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"message {i}").Order(), received.Order());

        await leader.StartAsync(Cancel);
        Assert.True(leader.IsRunning);
        await AllRunningAsync(cluster, leader);
    }

    async Task AllRunningAsync(RabbitMqCluster cluster, RabbitMqClusterNode node)
    {
        var running = await Eventually.HoldsAsync(
            ct => cluster.RunningNodesAsync(node, ct),
            r => r.Count == 3,
            RecoveryTimeout,
            $"cluster_status on {node.NodeName} lists all three nodes running",
            Cancel);
        Assert.Equal(cluster.Nodes.Select(n => n.NodeName).Order(), running.Order());
    }

    static async Task PublishToQuorumQueueAsync(RabbitMqClusterNode node)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(node.ConnectionString) }.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), Cancel);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: Cancel);
        for (var i = 0; i < Messages; i++)
        {
            await channel.BasicPublishAsync("", Queue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes($"message {i}"), Cancel);
        }
    }

    /// <summary>The node that leads the queue's Raft group, from <c>list_queues name type leader</c>.</summary>
    static async Task<RabbitMqClusterNode> LeaderAsync(RabbitMqCluster cluster)
    {
        var json = await cluster.CtlAsync(cluster.Nodes[0], "list_queues", "name", "type", "leader", "--formatter", "json");
        using var queues = JsonDocument.Parse(json[json.IndexOf('[', StringComparison.Ordinal)..]);
        var queue = queues.RootElement.EnumerateArray().Single(q => q.GetProperty("name").GetString() == Queue);
        Assert.Equal("quorum", queue.GetProperty("type").GetString());
        var leader = queue.GetProperty("leader").GetString();
        return cluster.Nodes.Single(n => n.NodeName == leader);
    }

    /// <summary>
    /// Takes every message the queue holds through <paramref name="node"/> into <paramref name="received"/>, acknowledging
    /// each; the number received so far (a message redelivered after a failed acknowledgement counts once).
    /// </summary>
    static async Task<int> ConsumeIntoAsync(RabbitMqClusterNode node, HashSet<string> received)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(node.ConnectionString) }.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        while (await channel.BasicGetAsync(Queue, autoAck: false, Cancel) is { } message)
        {
            received.Add(Encoding.UTF8.GetString(message.Body.Span));
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, Cancel);
        }

        return received.Count;
    }
}
