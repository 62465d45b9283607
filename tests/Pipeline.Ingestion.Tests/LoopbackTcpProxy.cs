using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Ingestion.Tests;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of the test's RabbitMQ node, so a test can cut the service off the broker
/// (every connection reset, new ones refused) and restore it, while the node itself keeps what it confirmed.
/// </summary>
sealed class LoopbackTcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly int _target;
    readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;
    volatile bool _cut;

    public LoopbackTcpProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The outage: every open connection is reset and new ones are closed at once.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var socket in _sockets.Keys)
        {
            Close(socket);
        }
    }

    public void Restore() => _cut = false;

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Close(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target);
            _sockets[client] = 0;
            _sockets[server] = 0;
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (SocketException)
        {
        }
        finally
        {
            Close(client);
            Close(server);
        }
    }

    static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    void Close(Socket socket)
    {
        _sockets.TryRemove(socket, out _);
        try
        {
            socket.LingerState = new LingerOption(true, 0); // a reset, as when the broker dies
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
