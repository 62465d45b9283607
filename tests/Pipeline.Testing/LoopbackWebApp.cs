using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Testing;

/// <summary>A service's real registration on real Kestrel, bound to a free port on 127.0.0.1, with a client for it.</summary>
public sealed class LoopbackWebApp : IAsyncDisposable
{
    readonly WebApplication _app;

    LoopbackWebApp(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the app with <see cref="TestApiKeys"/> configured (a test's own settings may replace them); <see cref="Client"/>
    /// sends the admin key, <see cref="CreateClient"/> any other key or none.
    /// </summary>
    public static async Task<LoopbackWebApp> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(TestApiKeys.Settings);
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var result = new LoopbackWebApp(app, new HttpClient { BaseAddress = new Uri(address) });
        result.Client.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Admin);
        return result;
    }

    /// <summary>A client that sends <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(TestApiKeys.Header, apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
