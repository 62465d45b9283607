namespace Pipeline.Processes;

/// <summary>
/// N private RabbitMQ nodes on this machine joined into one cluster (no Docker): each with its own node name, AMQP and
/// distribution ports and data directory under one temp directory, all with one Erlang cookie. For tests, benchmarks
/// and fault injection: <see cref="RabbitMqClusterNode.Kill"/> a node, <see cref="RabbitMqClusterNode.StartAsync"/> it
/// again and it rejoins. Every node is stopped, and the directory removed, on dispose.
/// </summary>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    readonly string _directory;

    RabbitMqCluster(string directory, IReadOnlyList<RabbitMqClusterNode> nodes)
    {
        _directory = directory;
        Nodes = nodes;
    }

    public IReadOnlyList<RabbitMqClusterNode> Nodes { get; }

    /// <summary>Every node's AMQP URI, comma-separated (<c>ConnectionStrings:rabbitmq</c> of the services).</summary>
    public string ConnectionString => string.Join(',', Nodes.Select(n => n.ConnectionString));

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes at once, then joins every node but the first to the first, one after
    /// the other, with rabbitmqctl (deterministic, unlike peer discovery among nodes that boot at the same moment).
    /// </summary>
    public static async Task<RabbitMqCluster> StartAsync(int nodeCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        var directory = Directory.CreateTempSubdirectory("pipeline-rabbitmq-cluster-").FullName;
        var cookie = RabbitMqNodeConfiguration.NewCookie();
        var ports = new HashSet<int>();
        while (ports.Count < 2 * nodeCount)
        {
            ports.Add(FreePorts.Next());
        }

        var pairs = ports.Chunk(2).ToList();
        var nodes = pairs.Select((p, i) => new RabbitMqClusterNode($"cluster{pairs[0][0]}-{i + 1}@localhost", p[0], p[1], Path.Combine(directory, $"node{i + 1}"), cookie)).ToList();
        var cluster = new RabbitMqCluster(directory, nodes);
        try
        {
            await Task.WhenAll(nodes.Select(n => n.StartAsync(cancellationToken)));
            foreach (var node in nodes.Skip(1))
            {
                await RabbitMqCtl.JoinAsync(node.NodeName, node.Directory, nodes[0].NodeName, cancellationToken);
                await node.WaitUntilAcceptingAsync(cancellationToken);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n {node} {args}</c> (e.g. <c>cluster_status</c>, <c>list_queues name type</c>); its output.</summary>
    public Task<string> CtlAsync(RabbitMqClusterNode node, params string[] args) => RabbitMqCtl.RunAsync(node.NodeName, node.Directory, args);

    /// <summary>The running members of the cluster as <paramref name="node"/> sees them.</summary>
    public Task<IReadOnlyList<string>> RunningNodesAsync(RabbitMqClusterNode node, CancellationToken cancellationToken = default) =>
        RabbitMqCtl.RunningNodesAsync(node.NodeName, node.Directory, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A straggling file handle; the OS cleans the temp directory eventually.
        }
    }
}
