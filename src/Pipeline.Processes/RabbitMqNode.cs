using System.Diagnostics;

namespace Pipeline.Processes;

/// <summary>
/// A private, throwaway RabbitMQ node: its own temp directory, free ports and node name, run from the
/// rabbitmq-server executable as a plain child process, and stopped (and its directory removed) on dispose.
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    public const string ServerExecutable = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    readonly Process _process;
    readonly string _directory;
    readonly OutputTail _output;

    RabbitMqNode(Process process, string directory, OutputTail output, int port, string nodeName)
    {
        _process = process;
        _directory = directory;
        _output = output;
        Port = port;
        NodeName = nodeName;
    }

    public int Port { get; }

    public string NodeName { get; }

    /// <summary>The node's process (its Erlang VM and helpers are its descendants).</summary>
    public int ProcessId => _process.Id;

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}";

    public string Output => _output.ToString();

    public static bool IsInstalled => File.Exists(ServerExecutable);

    public static async Task<RabbitMqNode> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(
                $"{ServerExecutable} is missing: install it with `apt-get install rabbitmq-server` (the ./test script does, and so does ./run).");
        }

        var port = FreePorts.Next();
        var distPort = FreePorts.Next();
        var nodeName = $"test{port}@localhost";
        var directory = Directory.CreateTempSubdirectory("pipeline-rabbitmq-").FullName;
        await RabbitMqNodeConfiguration.WriteFilesAsync(directory, management: false, cancellationToken);

        var start = new ProcessStartInfo(ServerExecutable) { WorkingDirectory = directory };
        var env = start.Environment;
        env["HOME"] = directory;
        env["RABBITMQ_NODENAME"] = nodeName;
        foreach (var (name, value) in RabbitMqNodeConfiguration.LoopbackEnvironment)
        {
            env[name] = value;
        }

        env["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["RABBITMQ_DIST_PORT"] = distPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
        env["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf");
        env["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config");
        env["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf");
        env["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid");

        var output = new OutputTail();
        var process = ChildProcesses.StartCapturing(start, output);

        var node = new RabbitMqNode(process, directory, output, port, nodeName);
        try
        {
            await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} exited with code {_process.ExitCode}:\n{Output}");
            }

            if (await FreePorts.IsOpenAsync(Port, cancellationToken))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"RabbitMQ node {NodeName} did not accept connections on port {Port} within {timeout}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Signals.StopAsync(_process, TimeSpan.FromSeconds(15));
        }
        finally
        {
            _process.Dispose();
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
}
