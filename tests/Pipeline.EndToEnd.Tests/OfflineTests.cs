using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Messaging;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// "Runs offline" checked, not assumed: every service runs as its own process with an HTTP proxy that records what it
/// is asked for (loopback exempt), handles an article, and is stopped gracefully (where libraries like to report usage).
/// Any request to a host that is not configured fails the test with the request line.
/// </summary>
public sealed class OfflineTests
{
    static readonly string[] Services =
    [
        "Pipeline.Indexing", "Pipeline.Search", "Pipeline.Enrichers.FactCheckMatching", "Pipeline.EntityLinking", "Pipeline.ClaimTagging", "Pipeline.Ingestion",
    ];

    [Fact]
    public async Task No_service_makes_a_request_off_the_machine_from_start_to_shutdown()
    {
        var text = await File.ReadAllTextAsync(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"), TestContext.Current.CancellationToken);
        // One recording proxy per service, so a failure names the service that asked.
        var recorders = Services.ToDictionary(s => s, _ => new OutboundRequestRecorder());
        await using var broker = await RabbitMqNode.StartAsync(TestContext.Current.CancellationToken);
        var index = Directory.CreateTempSubdirectory("pipeline-offline-index-");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = broker.ConnectionString,
            ["SearchStore:LucenePath"] = index.FullName,
            ["Indexing:BatchTimeLimit"] = "00:00:00.100",
        };

        var services = new List<ServiceProcess>();
        try
        {
            foreach (var service in Services)
            {
                var withProxy = new Dictionary<string, string>(settings);
                foreach (var (name, value) in recorders[service].ProxyEnvironment)
                {
                    withProxy[name] = value;
                }

                services.Add(await ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly(service), withProxy, TestContext.Current.CancellationToken));
            }

            using var ingestion = services[^1].CreateClient();
            using var response = await ingestion.PostAsJsonAsync(
                "/articles",
                new { title = "China promised Biden it would not interfere", url = "https://example.com/offline-test", text },
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await WaitUntilSearchableAsync(services[1], TestContext.Current.CancellationToken);
        }
        finally
        {
            // Stopped one by one with SIGTERM, as the AppHost stops them: a report "on shutdown" would go out now.
            foreach (var service in Enumerable.Reverse(services))
            {
                await service.DisposeAsync();
            }

            IndexDirectories.Delete(index);
            foreach (var recorder in recorders.Values)
            {
                await recorder.DisposeAsync();
            }
        }

        var requests = recorders.SelectMany(r => r.Value.Requests.Select(request => $"{r.Key}: {request}")).ToList();
        Assert.True(requests.Count == 0, $"Requests that would have left the machine: {string.Join("; ", requests)}");
    }

    /// <summary>
    /// MassTransit reports usage to its vendor five minutes after the bus starts (too late for the test above to see),
    /// unless the one messaging setup every service shares turns it off.
    /// </summary>
    [Fact]
    public void The_shared_messaging_setup_turns_MassTransit_usage_telemetry_off()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:5672";
        builder.AddPipelineMessaging();
        using var host = builder.Build();

        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    static async Task WaitUntilSearchableAsync(ServiceProcess search, CancellationToken cancellationToken)
    {
        using var client = search.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var results = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/search?q=Biden", cancellationToken);
            if (results.GetProperty("total").GetInt64() > 0)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        Assert.Fail("The article did not become searchable within 60 s.");
    }
}
