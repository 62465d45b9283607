using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Processes;

namespace Pipeline.AppHost.Tests;

/// <summary>A service that crashes comes back by itself; one the user stops stays stopped.</summary>
public sealed class CrashRestartAppHostTests(ITestOutputHelper output)
{
    const string Service = "fact-checking";
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>The services this test does not need; fact-checking needs the broker and indexing (its Re-run command).</summary>
    static readonly string[] Unneeded = ["ingestion", "claim-tagging", "entity-linking", "search"];

    [Fact]
    public async Task A_service_killed_with_SIGKILL_is_started_again_and_healthy_but_one_stopped_by_the_user_stays_stopped()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var cancel = timeout.Token;
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-restart-").FullName;
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                PipelineAppHostTests.Arguments(dataDirectory, PipelineAppHostTests.DistinctFreePorts(3)), cancel);
            KeepOnlyFactCheckingAndIndexing(builder);

            await using var app = await builder.BuildAsync(cancel);
            var states = new ConcurrentQueue<string>();
            _ = Task.Run(async () =>
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(cancel))
                {
                    if (e.Resource.Name == Service)
                    {
                        states.Enqueue($"{e.Snapshot.State?.Text} pid={Pid(e.Snapshot)} exit={e.Snapshot.ExitCode} health={e.Snapshot.HealthStatus}");
                    }
                }
            }, cancel);
            await app.StartAsync(cancel);
            try
            {
                var healthy = await app.ResourceNotifications.WaitForResourceHealthyAsync(Service, cancel);
                var pid = Pid(healthy.Snapshot) ?? throw new InvalidOperationException($"{Service} has no executable.pid property.");
                var logs = new ConcurrentQueue<string>();
                _ = Task.Run(async () =>
                {
                    // The console log the dashboard shows for this instance of the service.
                    await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(healthy.ResourceId).WithCancellation(cancel))
                    {
                        foreach (var line in batch)
                        {
                            logs.Enqueue(line.Content);
                        }
                    }
                }, cancel);

                // The resource's process may be a launcher with the service as its child: the crash takes both.
                var tree = ProcessTree.Of(pid);
                output.WriteLine($"{Service} healthy, process tree {string.Join(", ", tree.Select(Describe))}; killing it with SIGKILL");

                var clock = Stopwatch.StartNew();
                ProcessTree.Kill(pid);

                var restarted = await app.ResourceNotifications.WaitForResourceAsync(
                    Service,
                    e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                        && Pid(e.Snapshot) is { } p && p != pid,
                    cancel);
                output.WriteLine($"Healthy again after {clock.Elapsed.TotalSeconds:F1} s, pid {Pid(restarted.Snapshot)}");
                Assert.Contains(logs, l => l.Contains("crash restart 1", StringComparison.Ordinal));
                output.WriteLine(string.Join('\n', logs.Where(l => l.Contains("crash restart", StringComparison.Ordinal))));

                var stop = await app.ResourceCommands.ExecuteCommandAsync(Service, KnownResourceCommands.StopCommand, cancel);
                Assert.True(stop.Success, stop.Message);
                await app.ResourceNotifications.WaitForResourceAsync(Service, [KnownResourceStates.Exited, KnownResourceStates.Finished], cancel);

                // Well past the first back-off delay (1 s): a restart would have begun by now.
                await Task.Delay(TimeSpan.FromSeconds(6), cancel);
                var last = app.ResourceNotifications.TryGetCurrentState(Service, out var current) ? current.Snapshot.State?.Text : null;
                Assert.True(last == KnownResourceStates.Exited || last == KnownResourceStates.Finished, $"{Service} is {last} after the user stopped it");
                Assert.DoesNotContain(logs, l => l.Contains("crash restart 2", StringComparison.Ordinal));
            }
            finally
            {
                output.WriteLine(string.Join('\n', states));
            }
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }

    /// <summary>Removes the services a test of one enricher does not need (fact-checking needs the broker and indexing).</summary>
    internal static void KeepOnlyFactCheckingAndIndexing(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>().Where(p => Unneeded.Contains(p.Name)).ToList())
        {
            builder.Resources.Remove(project);
        }
    }

    static string Describe(int pid)
    {
        try
        {
            return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (IOException)
        {
            return pid.ToString(CultureInfo.InvariantCulture);
        }
    }

    static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };
}
