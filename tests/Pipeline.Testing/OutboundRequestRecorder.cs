using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// Catches requests that would leave the machine: an HTTP proxy on 127.0.0.1 that a service process is pointed at
/// through <c>HTTP_PROXY</c>/<c>HTTPS_PROXY</c> (which .NET's HttpClient honours by default), with loopback exempt
/// through <c>NO_PROXY</c>. It forwards nothing: it records the request line (<c>CONNECT host:443</c>, or the absolute
/// URL of a plain request), answers 403 and closes.
/// </summary>
public sealed class OutboundRequestRecorder : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly ConcurrentQueue<string> _requests = new();
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;

    public OutboundRequestRecorder()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public Uri ProxyAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>The request lines seen so far, e.g. <c>CONNECT usage.example.com:443 HTTP/1.1</c>.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>The environment that sends a process's outbound HTTP here and leaves loopback traffic alone.</summary>
    public IReadOnlyDictionary<string, string> ProxyEnvironment => new Dictionary<string, string>
    {
        ["HTTP_PROXY"] = ProxyAddress.ToString(),
        ["HTTPS_PROXY"] = ProxyAddress.ToString(),
        ["ALL_PROXY"] = ProxyAddress.ToString(),
        ["NO_PROXY"] = "127.0.0.1,localhost,::1",
    };

    async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RecordAsync(client, cancellationToken);
        }
    }

    async Task RecordAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                _requests.Enqueue(requestLine ?? "(connection closed before a request line)");
                await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
            }
            catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or SocketException)
            {
                _requests.Enqueue($"(a connection that sent no request line: {e.GetType().Name})");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
