using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

/// <summary>
/// The ingestion service's real registration on real Kestrel (127.0.0.1, a free port). With <c>harness: true</c> the
/// broker is MassTransit's in-memory test harness, so tests see exactly what was published; otherwise the
/// configured RabbitMQ connection string is used as it is.
/// </summary>
static class IngestionHost
{
    public static Task<LoopbackWebApp> StartAsync(bool harness, IDictionary<string, string?>? settings = null) =>
        LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1";
                builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
                builder.AddIngestion();
                if (harness)
                {
                    builder.Services.AddMassTransitTestHarness();
                }
            },
            app => app.MapIngestion());

    public static ITestHarness Harness(this LoopbackWebApp host) => host.Services.GetTestHarness();
}
