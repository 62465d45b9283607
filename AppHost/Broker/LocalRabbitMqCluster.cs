using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.AppHost.Broker;

/// <summary>
/// <c>Pipeline:Broker:Nodes</c> private RabbitMQ nodes (<see cref="LocalRabbitMqNode"/>), one Erlang cookie, joined into
/// one cluster. One node is the single node of old: resource <c>rabbitmq-node</c>, state in <c>{data}/rabbitmq</c>.
/// Several are <c>rabbitmq-node-1</c>..<c>-N</c>, node i (from 0) with each configured port + i and its state in
/// <c>{data}/rabbitmq</c> (node 1) or <c>{data}/rabbitmq-{i+1}</c>.
/// <para>
/// All nodes start at once (a node restarting with cluster data waits for the members it last saw, so starting them one
/// after the other could deadlock). Once the first node and a blank node accept connections, the AppHost joins the
/// latter to the former with rabbitmqctl (stop_app, join_cluster, start_app), one node at a time; until then that node
/// reports unhealthy, so the services, which wait for every node, see only the formed cluster. A node that is already
/// a member (restarted with its data) is left alone: RabbitMQ rejoins it by itself.
/// </para>
/// </summary>
static class LocalRabbitMqCluster
{
    public const string SingleNodeName = "rabbitmq-node";

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static (IReadOnlyList<IResourceBuilder<ExecutableResource>> Nodes, ReferenceExpression ConnectionString) AddLocalRabbitMqCluster(
        this IDistributedApplicationBuilder builder, PipelineSettings settings)
    {
        var count = settings.Broker.Nodes;
        if (count == 1)
        {
            var node = builder.AddLocalRabbitMqNode(SingleNodeName, Directory(settings, 0), settings.RabbitMQ);
            return ([node], LocalRabbitMqNode.ConnectionString(node));
        }

        var cookie = RabbitMqNodeConfiguration.NewCookie();
        var joins = Enumerable.Range(0, count).Select(i => new NodeJoin(i, Path.GetFullPath(Directory(settings, i)))).ToList();
        var nodes = joins.Select(join => builder.AddLocalRabbitMqNode(
            $"{SingleNodeName}-{join.Index + 1}", join.Directory, settings.RabbitMQ.ForNode(join.Index), cookie, join.Waiting)).ToList();

        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((e, cancellationToken) =>
        {
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var loggers = e.Services.GetRequiredService<ResourceLoggerService>();
            _ = Task.Run(() => JoinAllAsync(joins, nodes, loggers, stopping), stopping);
            return Task.CompletedTask;
        });

        var connectionString = new ReferenceExpressionBuilder();
        foreach (var node in nodes)
        {
            if (!connectionString.IsEmpty)
            {
                connectionString.AppendLiteral(",");
            }

            connectionString.Append($"amqp://guest:guest@127.0.0.1:{node.GetEndpoint("amqp").Property(EndpointProperty.TargetPort)}");
        }

        return (nodes, connectionString.Build());
    }

    static string Directory(PipelineSettings settings, int index) =>
        Path.Combine(settings.DataPath, index == 0 ? "rabbitmq" : $"rabbitmq-{index + 1}");

    static async Task JoinAllAsync(List<NodeJoin> joins, List<IResourceBuilder<ExecutableResource>> nodes, ResourceLoggerService loggers, CancellationToken cancellationToken)
    {
        var first = joins[0];
        first.Joined = true;
        var seed = LocalRabbitMqNode.NodeName(first.Directory);
        foreach (var join in joins.Skip(1))
        {
            var node = nodes[join.Index];
            var logger = loggers.GetLogger(node.Resource);
            var name = LocalRabbitMqNode.NodeName(join.Directory);
            // Once an attempt has run, the node's app may be stopped (stop_app went through, join_cluster did not), so
            // its AMQP port stays closed: from then on rabbitmqctl, which reaches the Erlang node itself, decides.
            var attempted = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (await AcceptsAsync(nodes[0], cancellationToken) && (attempted || await AcceptsAsync(node, cancellationToken)))
                    {
                        attempted = true;
                        var status = await RabbitMqCtl.StatusAsync(name, join.Directory, cancellationToken);
                        if (!status.Members.Contains(seed))
                        {
                            logger.LogInformation("Joining {Node} to the cluster of {Seed} (stop_app, join_cluster, start_app)", name, seed);
                            await RabbitMqCtl.JoinAsync(name, join.Directory, seed, cancellationToken);
                        }
                        else
                        {
                            // A member already (an earlier attempt joined it, or it restarted with its data): make sure
                            // its app runs; start_app on a running app does nothing.
                            await RabbitMqCtl.RunAsync(name, join.Directory, ["start_app"], cancellationToken);
                        }

                        logger.LogInformation("{Node} is a member of the cluster of {Seed}", name, seed);
                        join.Joined = true;
                        break;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
                {
                    // rabbitmqctl failed or timed out (the node was still booting, or restarted meanwhile): try again.
                    logger.LogWarning("Joining the cluster failed, retrying: {Error}", e.Message);
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    static async Task<bool> AcceptsAsync(IResourceBuilder<ExecutableResource> node, CancellationToken cancellationToken) =>
        (await LocalRabbitMqNode.AcceptsConnectionsAsync(node.GetEndpoint("amqp"), cancellationToken)).Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy;

    /// <summary>Whether node <see cref="Index"/> has joined the cluster yet (the first node is the cluster).</summary>
    sealed class NodeJoin(int index, string directory)
    {
        int _joined;

        public int Index { get; } = index;

        public string Directory { get; } = directory;

        public bool Joined
        {
            get => Volatile.Read(ref _joined) == 1;
            set => Volatile.Write(ref _joined, value ? 1 : 0);
        }

        /// <summary>Why the node is not ready yet, for its health check; null once it is a member.</summary>
        public string? Waiting() => Joined ? null : $"Not a member of the cluster yet: the AppHost joins it to {SingleNodeName}-1 once both accept connections.";
    }
}
