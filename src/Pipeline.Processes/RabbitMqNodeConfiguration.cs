namespace Pipeline.Processes;

/// <summary>
/// The files and environment every private RabbitMQ node of the pipeline runs with (the AppHost's node and the test and
/// benchmark nodes alike): everything it listens on is bound to loopback, like the services. AMQP (and management)
/// through <c>RABBITMQ_NODE_IP_ADDRESS</c> and the plugin's tcp_config, Erlang distribution through the kernel's
/// <c>inet_dist_use_interface</c>, and epmd (when this node is the one that starts it) through <c>ERL_EPMD_ADDRESS</c>.
/// The guest user keeps RabbitMQ's default: it may connect from loopback only.
/// </summary>
public static class RabbitMqNodeConfiguration
{
    public const string LoopbackAddress = "127.0.0.1";

    /// <summary>Environment variables (beyond ports, names and paths) that bind the node to loopback.</summary>
    public static IReadOnlyDictionary<string, string> LoopbackEnvironment { get; } = new Dictionary<string, string>
    {
        ["RABBITMQ_NODE_IP_ADDRESS"] = LoopbackAddress,
        ["ERL_EPMD_ADDRESS"] = LoopbackAddress,
    };

    /// <summary>
    /// The configuration files the node reads from its own directory (always written: without them it reads
    /// /etc/rabbitmq and the system's enabled plugins), by file name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Files(bool management) => new Dictionary<string, string>
    {
        ["enabled_plugins"] = management ? "[rabbitmq_management].\n" : "[].\n",
        ["rabbitmq.conf"] = "# Written by the pipeline. guest may connect from loopback only (RabbitMQ's default, stated here).\nloopback_users.guest = true\n",
        ["advanced.config"] = "% Written by the pipeline: Erlang distribution listens on loopback only.\n[{kernel, [{inet_dist_use_interface, {127,0,0,1}}]}].\n",
        ["rabbitmq-env.conf"] = "# Written by the pipeline; the environment sets everything.\n",
    };

    /// <summary>Writes <see cref="Files"/> into <paramref name="directory"/>.</summary>
    public static async Task WriteFilesAsync(string directory, bool management, CancellationToken cancellationToken = default)
    {
        foreach (var (name, content) in Files(management))
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), content, cancellationToken);
        }
    }
}
