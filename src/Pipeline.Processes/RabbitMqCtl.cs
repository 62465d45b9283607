using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Processes;

/// <summary>
/// rabbitmqctl against one private node: run with the node's own environment (its HOME holds the cookie), so it needs
/// nothing from /etc/rabbitmq or the rabbitmq user.
/// </summary>
public static class RabbitMqCtl
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Runs <c>rabbitmqctl -n {nodeName} {args}</c>; its standard output, or an exception with everything it printed.</summary>
    public static async Task<string> RunAsync(string nodeName, string directory, IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(RabbitMqNodeConfiguration.CtlExecutable, ["-n", nodeName, .. args]) { WorkingDirectory = directory };
        foreach (var (name, value) in RabbitMqNodeConfiguration.Environment(directory))
        {
            start.Environment[name] = value;
        }

        var output = new OutputTail(2000);
        using var process = ChildProcesses.StartCapturing(start, output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // WaitForExitAsync returns once the output is drained, so the tail is complete.
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl -n {nodeName} {string.Join(' ', args)} exited with code {process.ExitCode}:\n{output}");
        }

        return output.ToString();
    }

    /// <summary>
    /// Makes <paramref name="nodeName"/> (running, with no data of its own worth keeping) a member of
    /// <paramref name="seedNodeName"/>'s cluster: stop_app, join_cluster, start_app. Its queues and messages are reset.
    /// </summary>
    public static async Task JoinAsync(string nodeName, string directory, string seedNodeName, CancellationToken cancellationToken = default)
    {
        await RunAsync(nodeName, directory, ["stop_app"], cancellationToken);
        await RunAsync(nodeName, directory, ["join_cluster", seedNodeName], cancellationToken);
        await RunAsync(nodeName, directory, ["start_app"], cancellationToken);
    }

    /// <summary>The running members of the node's cluster, as <c>cluster_status</c> reports them (the node itself included).</summary>
    public static async Task<IReadOnlyList<string>> RunningNodesAsync(string nodeName, string directory, CancellationToken cancellationToken = default)
    {
        var json = await RunAsync(nodeName, directory, ["cluster_status", "--formatter", "json"], cancellationToken);
        using var status = JsonDocument.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..]);
        return [.. status.RootElement.GetProperty("running_nodes").EnumerateArray().Select(n => n.GetString()!)];
    }
}
