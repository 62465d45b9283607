using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.AppHost.Tests;

/// <summary>The private broker node is bound like the services: nothing it (or the epmd it starts) listens on is reachable from another host.</summary>
public sealed class BrokerNodeSocketTests
{
    const int EpmdPort = 4369;

    [Fact]
    public async Task A_private_node_listens_on_loopback_only_for_AMQP_Erlang_distribution_and_epmd()
    {
        if (!RabbitMqNode.IsInstalled || !ListeningSockets.Available)
        {
            Assert.Skip("Needs rabbitmq-server and Linux's /proc.");
        }

        await using var node = await RabbitMqNode.StartAsync(TestContext.Current.CancellationToken);
        var sockets = await WaitForDistributionAsync(node);

        var nodeSockets = NodeSockets(sockets, node.ProcessId);
        Assert.Contains(nodeSockets, s => s.Port == node.Port);
        Assert.True(nodeSockets.Count >= 2, $"Expected the AMQP and the distribution listener; found: {string.Join(", ", nodeSockets)}");
        AssertLoopbackOnly(nodeSockets);
    }

    internal static void AssertLoopbackOnly(IEnumerable<ListeningSocket> sockets) =>
        Assert.All(sockets, s => Assert.True(
            s.IsLoopback,
            s.Port == EpmdPort
                ? $"epmd listens on {s}: an epmd started before the pipeline bound it to loopback (ERL_EPMD_ADDRESS) is still running; stop it (`epmd -kill`) and retry."
                : $"{s} is not on loopback."));

    /// <summary>
    /// Every socket of the node's process tree, and those of an epmd this user owns (epmd detaches from the node that
    /// starts it; another user's epmd, e.g. a system broker's, is not ours to judge).
    /// </summary>
    internal static List<ListeningSocket> NodeSockets(IReadOnlyList<ListeningSocket> sockets, int nodeProcessId)
    {
        var tree = ProcessTree.Of(nodeProcessId);
        return [.. sockets.Where(s => (s.ProcessId is { } pid && tree.Contains(pid)) || (s.Port == EpmdPort && s.Command == "epmd"))];
    }

    /// <summary>The distribution listener opens a moment after AMQP.</summary>
    static async Task<IReadOnlyList<ListeningSocket>> WaitForDistributionAsync(RabbitMqNode node)
    {
        var tree = ProcessTree.Of(node.ProcessId);
        for (var attempt = 0; ; attempt++)
        {
            var sockets = ListeningSockets.Read();
            if (sockets.Count(s => s.ProcessId is { } pid && tree.Contains(pid)) >= 2 || attempt == 50)
            {
                return sockets;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
