using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Processes;

namespace Pipeline.AppHost.Broker;

/// <summary>
/// A private RabbitMQ node from the Debian package, run as a plain process with all its state under one directory:
/// no container runtime, no system service, no clash with a system broker.
/// </summary>
static class LocalRabbitMqNode
{
    public const string ServerScript = RabbitMqNodeConfiguration.ServerExecutable;

    public static bool IsInstalled => RabbitMqNodeConfiguration.IsInstalled;

    /// <summary>
    /// Adds the node <paramref name="name"/> with its state in <paramref name="directory"/>. With a
    /// <paramref name="cookie"/> (a cluster's nodes share one) it is written to the node's HOME before every start;
    /// without, Erlang makes one there. The node is healthy when it accepts AMQP connections and, for a node that
    /// must first join a cluster, once <paramref name="ready"/> says so.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddLocalRabbitMqNode(
        this IDistributedApplicationBuilder builder, string name, string directory, RabbitMqPorts ports, string? cookie = null, Func<string?>? ready = null)
    {
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var healthCheck = $"{name}-amqp";

        var node = builder.AddExecutable(name, ServerScript, directory)
            .WithEnvironment(context =>
            {
                foreach (var (variable, value) in RabbitMqNodeConfiguration.Environment(directory))
                {
                    context.EnvironmentVariables[variable] = value;
                }
            })
            .WithEndpoint(port: ports.AmqpPort, targetPort: ports.AmqpPort, scheme: "tcp", name: "amqp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithEndpoint(port: ports.DistPort, targetPort: ports.DistPort, scheme: "tcp", name: "dist", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithHttpEndpoint(port: ports.ManagementPort, targetPort: ports.ManagementPort, name: "management", isProxied: false)
            // The node name keys its Mnesia directory, so it must be stable for a data directory and differ between them.
            .WithEnvironment("RABBITMQ_NODENAME", NodeName(directory))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithHealthCheck(healthCheck)
            .OnBeforeResourceStarted(async (_, _, cancellationToken) =>
            {
                await RabbitMqNodeConfiguration.WriteFilesAsync(directory, management: true, cancellationToken);
                if (cookie is not null)
                {
                    await RabbitMqNodeConfiguration.WriteCookieAsync(directory, cookie, cancellationToken);
                }
            });

        var management = node.GetEndpoint("management");
        node.WithEnvironment(
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
            ReferenceExpression.Create($"-rabbitmq_management tcp_config [{{ip,\"{RabbitMqNodeConfiguration.LoopbackAddress}\"}},{{port,{management.Property(EndpointProperty.TargetPort)}}}]"));

        var amqp = node.GetEndpoint("amqp");
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            var accepting = await AcceptsConnectionsAsync(amqp, cancellationToken);
            return accepting.Status == HealthStatus.Healthy && ready?.Invoke() is { } waiting ? HealthCheckResult.Unhealthy(waiting) : accepting;
        });
        return node;
    }

    /// <summary>The Erlang node name of the node whose state is in <paramref name="directory"/>.</summary>
    public static string NodeName(string directory) => $"pipeline-{Hash(Path.GetFullPath(directory))}@localhost";

    /// <summary><c>amqp://guest:guest@127.0.0.1:{port}</c>: guest may connect from loopback only, and the node listens nowhere else.</summary>
    public static ReferenceExpression ConnectionString(IResourceBuilder<ExecutableResource> node) =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{node.GetEndpoint("amqp").Property(EndpointProperty.TargetPort)}");

    /// <summary>A TCP connect to the AMQP port: the node opens its listeners only once it has booted.</summary>
    public static async Task<HealthCheckResult> AcceptsConnectionsAsync(EndpointReference amqp, CancellationToken cancellationToken)
    {
        if (!amqp.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("The AMQP endpoint has no port yet.");
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, amqp.TargetPort ?? amqp.Port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"127.0.0.1:{amqp.TargetPort ?? amqp.Port} does not accept connections yet ({e.SocketErrorCode}).");
        }
    }

    static string Hash(string directory) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..8];
}
