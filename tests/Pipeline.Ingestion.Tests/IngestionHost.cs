using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Ingestion.Tests;

/// <summary>
/// The ingestion service's real registration on real Kestrel (127.0.0.1, a free port). With <c>harness: true</c> the
/// broker is MassTransit's in-memory test harness, so tests see exactly what was published; otherwise the
/// configured RabbitMQ connection string is used as it is.
/// </summary>
public sealed class IngestionHost : IAsyncDisposable
{
    readonly WebApplication _app;

    IngestionHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public ITestHarness Harness => _app.Services.GetTestHarness();

    public static async Task<IngestionHost> StartAsync(bool harness, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1";
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddIngestion();
        if (harness)
        {
            builder.Services.AddMassTransitTestHarness();
        }

        var app = builder.Build();
        app.MapIngestion();
        // Starting the host starts the bus too, the harness's in-memory one included.
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new IngestionHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
