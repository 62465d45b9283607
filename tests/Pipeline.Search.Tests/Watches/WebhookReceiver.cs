using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Watches;

/// <summary>
/// A webhook receiver on Kestrel, 127.0.0.1, free port: records every POST (body, content type, headers) and answers
/// 500 to the first <see cref="FailFirst"/> of them, then 204 (or 503 to all while <see cref="Failing"/>).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    LoopbackWebApp? _app;
    int _calls;

    /// <summary>Every POST received, answered with an error or not, in order.</summary>
    public ConcurrentQueue<Received> Attempts { get; } = new();

    public int FailFirst { get; set; }

    public bool Failing { get; set; }

    public Uri Url { get; private set; } = null!;

    /// <summary>The POSTs answered 2xx.</summary>
    public IReadOnlyList<Received> Delivered => [.. Attempts.Where(a => a.Status < 300)];

    public sealed record Received(JsonElement Body, string? ContentType, string? Watch, string? Delivery, int Status);

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var receiver = new WebhookReceiver { FailFirst = failFirst };
        receiver._app = await LoopbackWebApp.StartAsync(
            builder => builder.Logging.ClearProviders(),
            app => app.MapPost("/hook", async (HttpRequest request) =>
            {
                var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
                var call = Interlocked.Increment(ref receiver._calls);
                var status = receiver.Failing ? 503 : call <= receiver.FailFirst ? 500 : 204;
                receiver.Attempts.Enqueue(new Received(body, request.ContentType, request.Headers["X-Pipeline-Watch"], request.Headers["X-Pipeline-Delivery"], status));
                return Results.StatusCode(status);
            }));
        receiver.Url = new Uri(receiver._app.Client.BaseAddress!, "/hook");
        return receiver;
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens: every connection is refused.</summary>
    public static Uri DeadUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/hook");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
