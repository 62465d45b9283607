using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Processes;

/// <summary>
/// One private RabbitMQ node run from the rabbitmq-server executable as a plain child process: its name, ports, data
/// directory and cookie are fixed when it is created, so <see cref="StartAsync"/> after <see cref="Kill"/> or
/// <see cref="StopAsync"/> brings back the same node, with its data and its cluster membership.
/// </summary>
public sealed class RabbitMqClusterNode : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    readonly bool _management;
    readonly string _cookie;
    readonly OutputTail _output = new();
    Process? _process;

    internal RabbitMqClusterNode(string nodeName, int port, int distPort, string directory, string cookie, bool management = false)
    {
        NodeName = nodeName;
        Port = port;
        DistPort = distPort;
        Directory = directory;
        _cookie = cookie;
        _management = management;
    }

    /// <summary><c>name@localhost</c>.</summary>
    public string NodeName { get; }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The Erlang distribution port (cluster links and rabbitmqctl), on 127.0.0.1.</summary>
    public int DistPort { get; }

    /// <summary>HOME, data, logs and configuration of the node.</summary>
    public string Directory { get; }

    public string ConnectionString => $"amqp://guest:guest@{RabbitMqNodeConfiguration.LoopbackAddress}:{Port}";

    /// <summary>Whether the node's process is alive (it may still be booting or already stopping).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The node's process (the Erlang VM; its helpers are its descendants).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"RabbitMQ node {NodeName} has not been started.");

    /// <summary>The last lines the node printed, across its starts.</summary>
    public string Output => _output.ToString();

    /// <summary>Starts the node (again) and waits until it accepts AMQP connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"RabbitMQ node {NodeName} is already running.");
        }

        if (!RabbitMqNodeConfiguration.IsInstalled)
        {
            throw new InvalidOperationException(
                $"{RabbitMqNodeConfiguration.ServerExecutable} is missing: install it with `apt-get install rabbitmq-server` (the ./test script does, and so does ./run).");
        }

        System.IO.Directory.CreateDirectory(Directory);
        await RabbitMqNodeConfiguration.WriteFilesAsync(Directory, _management, cancellationToken);
        await RabbitMqNodeConfiguration.WriteCookieAsync(Directory, _cookie, cancellationToken);

        var start = new ProcessStartInfo(RabbitMqNodeConfiguration.ServerExecutable) { WorkingDirectory = Directory };
        foreach (var (name, value) in RabbitMqNodeConfiguration.Environment(Directory))
        {
            start.Environment[name] = value;
        }

        start.Environment["RABBITMQ_NODENAME"] = NodeName;
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = DistPort.ToString(CultureInfo.InvariantCulture);

        _process?.Dispose();
        _output.Add($"--- starting {NodeName} at {DateTimeOffset.UtcNow:O} ---");
        _process = ChildProcesses.StartCapturing(start, _output);
        try
        {
            await WaitUntilAcceptingAsync(cancellationToken);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>Waits until the node accepts AMQP connections (after a start, or after rabbitmqctl start_app).</summary>
    internal async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} exited with code {_process?.ExitCode}:\n{Output}");
            }

            if (await FreePorts.IsOpenAsync(Port, cancellationToken))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"RabbitMQ node {NodeName} did not accept connections on port {Port} within {StartTimeout}:\n{Output}");
    }

    /// <summary>A crash: SIGKILL of the node's whole process tree, no chance to tell its peers or flush anything.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        var tree = ProcessTree.Of(process.Id);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        // The VM's helpers (erl_child_setup, inet_gethost) die with it; wait so the ports are free for a restart.
        // epmd is not among them: it detaches, and other nodes of this user share it.
        SpinWait.SpinUntil(() => tree.All(pid => ProcessTree.StatFields(pid) is null or ["Z", ..]), TimeSpan.FromSeconds(10));
    }

    /// <summary>A graceful stop (SIGTERM; SIGKILL of the tree if it has not stopped within 15 s).</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            await Signals.StopAsync(process, StopGrace);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _process = null;
    }
}
