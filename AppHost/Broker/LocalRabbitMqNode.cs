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
    /// <summary>
    /// Run directly: the /usr/sbin wrapper switches to the rabbitmq user, whose Erlang cookie then differs from ours.
    /// </summary>
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public static bool IsInstalled => File.Exists(ServerScript);

    public static IResourceBuilder<ExecutableResource> AddLocalRabbitMqNode(
        this IDistributedApplicationBuilder builder, string name, string directory, RabbitMqPorts ports)
    {
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var healthCheck = $"{name}-amqp";

        var node = builder.AddExecutable(name, ServerScript, directory)
            .WithEnvironment(context =>
            {
                foreach (var (variable, value) in RabbitMqNodeConfiguration.LoopbackEnvironment)
                {
                    context.EnvironmentVariables[variable] = value;
                }
            })
            .WithEndpoint(port: ports.AmqpPort, targetPort: ports.AmqpPort, scheme: "tcp", name: "amqp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithEndpoint(port: ports.DistPort, targetPort: ports.DistPort, scheme: "tcp", name: "dist", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithHttpEndpoint(port: ports.ManagementPort, targetPort: ports.ManagementPort, name: "management", isProxied: false)
            .WithEnvironment("HOME", directory)
            // The node name keys its Mnesia directory, so it must be stable for a data directory and differ between them.
            .WithEnvironment("RABBITMQ_NODENAME", $"pipeline-{Hash(directory)}@localhost")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(directory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(directory, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(directory, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(directory, "rabbitmq.conf"))
            .WithEnvironment("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(directory, "advanced.config"))
            .WithEnvironment("RABBITMQ_CONF_ENV_FILE", Path.Combine(directory, "rabbitmq-env.conf"))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(directory, "rabbitmq.pid"))
            // Makes the script exec Erlang instead of supervising it from a shell, so the stop signal reaches the
            // node itself and no beam.smp outlives the AppHost; -noinput keeps it from reading the console.
            .WithEnvironment("RABBITMQ_ALLOW_INPUT", "true")
            .WithEnvironment("RABBITMQ_SERVER_START_ARGS", "-noinput")
            .WithHealthCheck(healthCheck)
            .OnBeforeResourceStarted((_, _, cancellationToken) => RabbitMqNodeConfiguration.WriteFilesAsync(directory, management: true, cancellationToken));

        var management = node.GetEndpoint("management");
        node.WithEnvironment(
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
            ReferenceExpression.Create($"-rabbitmq_management tcp_config [{{ip,\"{RabbitMqNodeConfiguration.LoopbackAddress}\"}},{{port,{management.Property(EndpointProperty.TargetPort)}}}]"));

        var amqp = node.GetEndpoint("amqp");
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, cancellationToken => AcceptsConnectionsAsync(amqp, cancellationToken));
        return node;
    }

    /// <summary><c>amqp://guest:guest@127.0.0.1:{port}</c>: guest may connect from loopback only, and the node listens nowhere else.</summary>
    public static ReferenceExpression ConnectionString(IResourceBuilder<ExecutableResource> node) =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{node.GetEndpoint("amqp").Property(EndpointProperty.TargetPort)}");

    /// <summary>A TCP connect to the AMQP port: the node opens its listeners only once it has booted.</summary>
    static async Task<HealthCheckResult> AcceptsConnectionsAsync(EndpointReference amqp, CancellationToken cancellationToken)
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
