using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.AppHost.Tests;

/// <summary>The AppHost's broker with <c>Pipeline:Broker:Nodes=3</c>, and the settings it refuses at start.</summary>
public sealed class LocalClusterAppHostTests(ITestOutputHelper output)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Three_broker_nodes_form_one_cluster_the_services_get_every_node_and_a_killed_node_comes_back_into_it()
    {
        if (!RabbitMqNode.IsInstalled)
        {
            Assert.Skip("Needs rabbitmq-server.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var cancel = timeout.Token;
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-cluster-").FullName;
        var amqp = PortRun(3);
        var management = PortRun(3, amqp);
        var dist = PortRun(3, amqp, management);
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                PipelineAppHostTests.Arguments(dataDirectory, [amqp, management, dist], "--Pipeline:Broker:Nodes=3"), cancel);
            // The broker alone: the services are the same with one node or three.
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            {
                builder.Resources.Remove(project);
            }

            await using var app = await builder.BuildAsync(cancel);
            await app.StartAsync(cancel);
            foreach (var node in new[] { "rabbitmq-node-1", "rabbitmq-node-2", "rabbitmq-node-3" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(node, cancel);
            }

            Assert.Equal(
                $"amqp://guest:guest@127.0.0.1:{amqp},amqp://guest:guest@127.0.0.1:{amqp + 1},amqp://guest:guest@127.0.0.1:{amqp + 2}",
                await app.GetConnectionStringAsync("rabbitmq", cancel));

            // rabbitmqctl as the AppHost runs it: the node's name and HOME (its cookie) from what the dashboard shows.
            Assert.True(app.ResourceNotifications.TryGetCurrentState("rabbitmq-node-1", out var first));
            var environment = first.Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value);
            var status = await RabbitMqCtl.StatusAsync(environment["RABBITMQ_NODENAME"]!, environment["HOME"]!, cancel);
            output.WriteLine($"Running: {string.Join(", ", status.Running)}");
            Assert.Equal(3, status.Running.Count);

            // A node that crashes is started again by the AppHost, and rejoins by itself.
            Assert.True(app.ResourceNotifications.TryGetCurrentState("rabbitmq-node-2", out var second));
            var pid = second.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value?.ToString();
            ProcessTree.Kill(int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture));

            await app.ResourceNotifications.WaitForResourceAsync(
                "rabbitmq-node-2",
                e => e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString() is { } restarted && restarted != pid,
                cancel);
            await Eventually.HoldsAsync(
                ct => RabbitMqCtl.StatusAsync(environment["RABBITMQ_NODENAME"]!, environment["HOME"]!, ct),
                s => s.Running.Count == 3,
                TimeSpan.FromSeconds(60),
                "the restarted rabbitmq-node-2 is running in the cluster again",
                cancel);
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }

    [Theory]
    [InlineData("--Pipeline:Broker:Nodes=8", "Pipeline:Broker:Nodes")]
    [InlineData("--Pipeline:Broker:Nodes=0", "Pipeline:Broker:Nodes")]
    [InlineData("--Pipeline:Replicas:indexing=2", "Pipeline:Replicas:indexing")]
    [InlineData("--Pipeline:Replicas:ingestion=2", "Pipeline:Replicas:ingestion")]
    [InlineData("--Pipeline:Replicas:claim-tagging=9", "Pipeline:Replicas:claim-tagging")]
    [InlineData("--Pipeline:Replicas:claim-taging=2", "Pipeline:Replicas:claim-taging")]
    [InlineData("--Pipeline:CrashRestarts:MaxDelay=00:00:00.5", "Pipeline:CrashRestarts")]
    public async Task A_setting_out_of_range_stops_the_AppHost_at_start_with_a_message_naming_it(string setting, string key)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-settings-").FullName;
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                    PipelineAppHostTests.Arguments(dataDirectory, PipelineAppHostTests.DistinctFreePorts(3), "--Pipeline:Containers=false", setting),
                    TestContext.Current.CancellationToken);
            });

            var message = refused is AggregateException or System.Reflection.TargetInvocationException && refused.InnerException is { } inner ? inner.Message : refused.Message;
            output.WriteLine(message);
            Assert.Contains(key, message, StringComparison.Ordinal);
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports, none of them in <paramref name="taken"/>'s runs.</summary>
    static int PortRun(int count, params int[] taken)
    {
        while (true)
        {
            var first = FreePorts.Next();
            var run = Enumerable.Range(first, count).ToList();
            if (run[^1] <= 65535
                && !run.Any(p => taken.Any(t => p >= t && p < t + count))
                && run.Skip(1).All(IsFree))
            {
                return first;
            }
        }
    }

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
