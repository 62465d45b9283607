using System.Security.Cryptography;

namespace Pipeline.Processes;

/// <summary>
/// The files and environment every private RabbitMQ node of the pipeline runs with (the AppHost's nodes and the test and
/// benchmark nodes alike): everything it listens on is bound to loopback, like the services. AMQP (and management)
/// through <c>RABBITMQ_NODE_IP_ADDRESS</c> and the plugin's tcp_config, Erlang distribution through the kernel's
/// <c>inet_dist_use_interface</c>, and epmd (when this node is the one that starts it) through <c>ERL_EPMD_ADDRESS</c>.
/// The guest user keeps RabbitMQ's default: it may connect from loopback only.
/// </summary>
public static class RabbitMqNodeConfiguration
{
    public const string LoopbackAddress = "127.0.0.1";

    /// <summary>
    /// Run directly: the /usr/sbin wrappers switch to the rabbitmq user, whose Erlang cookie then differs from ours.
    /// </summary>
    public const string ServerExecutable = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>The CLI, run directly for the same reason as <see cref="ServerExecutable"/>.</summary>
    public const string CtlExecutable = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    public static bool IsInstalled => File.Exists(ServerExecutable);

    /// <summary>Environment variables (beyond ports, names and paths) that bind the node to loopback.</summary>
    public static IReadOnlyDictionary<string, string> LoopbackEnvironment { get; } = new Dictionary<string, string>
    {
        ["RABBITMQ_NODE_IP_ADDRESS"] = LoopbackAddress,
        ["ERL_EPMD_ADDRESS"] = LoopbackAddress,
    };

    /// <summary>
    /// Everything but the node name and ports: <see cref="LoopbackEnvironment"/>, and HOME (where Erlang and rabbitmqctl
    /// read the cookie), data, logs and configuration files all in <paramref name="directory"/>. The same for the node
    /// and for rabbitmqctl run against it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(string directory)
    {
        var environment = new Dictionary<string, string>(LoopbackEnvironment)
        {
            ["HOME"] = directory,
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
            // Makes the script exec Erlang instead of supervising it from a shell, so a stop signal reaches the node
            // itself and no beam.smp outlives its parent; -noinput keeps it from reading the console.
            ["RABBITMQ_ALLOW_INPUT"] = "true",
            ["RABBITMQ_SERVER_START_ARGS"] = "-noinput",
        };
        return environment;
    }

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

    /// <summary>A new Erlang cookie: the shared secret that lets nodes (and rabbitmqctl) talk to each other.</summary>
    public static string NewCookie() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    /// <summary>
    /// Writes <paramref name="cookie"/> as <c>.erlang.cookie</c> in <paramref name="home"/> with mode 0400 (Erlang
    /// refuses a cookie file others can read). Every node of a cluster, and rabbitmqctl, must read the same one.
    /// </summary>
    public static async Task WriteCookieAsync(string home, string cookie, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(home, ".erlang.cookie");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Private RabbitMQ nodes run on Linux only.");
        }

        if (File.Exists(path))
        {
            if (await File.ReadAllTextAsync(path, cancellationToken) == cookie)
            {
                return;
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(path, cookie, cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
    }
}
