using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.AppHost.Tests;

/// <summary><c>Pipeline:Replicas:{service}</c> under the AppHost: that many healthy instances of the service.</summary>
public sealed class ReplicasAppHostTests(ITestOutputHelper output)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Two_replicas_of_an_enricher_run_as_two_healthy_instances()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var cancel = timeout.Token;
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-replicas-").FullName;
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                PipelineAppHostTests.Arguments(dataDirectory, PipelineAppHostTests.DistinctFreePorts(3), "--Pipeline:Replicas:fact-checking=2"), cancel);
            CrashRestartAppHostTests.KeepOnlyFactCheckingAndIndexing(builder);

            await using var app = await builder.BuildAsync(cancel);
            await app.StartAsync(cancel);
            var healthy = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var e in app.ResourceNotifications.WatchAsync(cancel))
            {
                if (e.Resource.Name == "fact-checking" && e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy
                    && healthy.Add(e.ResourceId) && healthy.Count == 2)
                {
                    break;
                }
            }

            output.WriteLine($"Healthy instances: {string.Join(", ", healthy)}");
            Assert.Equal(2, healthy.Count);
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }
}
