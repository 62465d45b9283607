namespace Pipeline.Processes;

/// <summary>
/// A private, throwaway RabbitMQ node: its own temp directory, free ports and node name, run from the
/// rabbitmq-server executable as a plain child process, and stopped (and its directory removed) on dispose.
/// A cluster of one: <see cref="RabbitMqCluster"/> starts its nodes the same way.
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    public const string ServerExecutable = RabbitMqNodeConfiguration.ServerExecutable;

    readonly RabbitMqCluster _cluster;

    RabbitMqNode(RabbitMqCluster cluster) => _cluster = cluster;

    RabbitMqClusterNode Node => _cluster.Nodes[0];

    public int Port => Node.Port;

    public string NodeName => Node.NodeName;

    /// <summary>The node's process (its Erlang VM; its helpers are its descendants).</summary>
    public int ProcessId => Node.ProcessId;

    public string ConnectionString => Node.ConnectionString;

    public string Output => Node.Output;

    public static bool IsInstalled => RabbitMqNodeConfiguration.IsInstalled;

    public static async Task<RabbitMqNode> StartAsync(CancellationToken cancellationToken = default) =>
        new(await RabbitMqCluster.StartAsync(1, cancellationToken));

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
