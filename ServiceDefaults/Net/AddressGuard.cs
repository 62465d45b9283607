using System.Net;
using System.Net.Sockets;

namespace Pipeline.ServiceDefaults.Net;

/// <summary>
/// Refuses connections to addresses inside the service's own networks (private, loopback, link-local, unspecified,
/// multicast, carrier-grade NAT, IPv6 unique-local and site-local) unless they are explicitly allowed. Checked on the
/// resolved address of every connection, redirects included, so a DNS name or a redirect cannot get around it. An
/// IPv6 address that carries an IPv4 one (IPv4-mapped and -compatible, NAT64, 6to4, Teredo) is judged by the IPv4
/// address it reaches, so <c>[::ffff:127.0.0.1]</c> or <c>[2002:7f00:1::]</c> is as internal as 127.0.0.1.
/// Shared by every outbound call to an address a user gave: the feed poller and the search service's watch webhooks.
/// </summary>
public static class AddressGuard
{
    public static bool IsInternal(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsInternalV4(address.GetAddressBytes()),
        AddressFamily.InterNetworkV6 => IsInternalV6(address.GetAddressBytes()),
        _ => true,
    };

    /// <summary>The address of a URI whose host is an IP literal (any zone id dropped), else null.</summary>
    public static IPAddress? LiteralOf(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) ? address : null;

    static bool IsInternalV4(ReadOnlySpan<byte> b) =>
        b[0] == 10
        || b[0] == 127
        || b[0] == 0
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 169 && b[1] == 254)
        || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
        || b[0] >= 224; // multicast, reserved and broadcast

    /// <remarks>By bytes, so a scope id (<c>fe80::1%eth0</c>) changes nothing.</remarks>
    static bool IsInternalV6(ReadOnlySpan<byte> b)
    {
        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            // ::, ::1 and IPv4-compatible ::a.b.c.d (0.0.0.0 and 0.0.0.1 are internal as IPv4 too).
            return IsInternalV4(b[12..]);
        }

        if (b[..10].IndexOfAnyExcept((byte)0) < 0 && b[10] == 0xff && b[11] == 0xff)
        {
            return IsInternalV4(b[12..]); // IPv4-mapped ::ffff:a.b.c.d
        }

        if (b[..8].IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
        {
            return IsInternalV4(b[12..]); // IPv4-translated ::ffff:0:a.b.c.d
        }

        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            // NAT64: the well-known prefix 64:ff9b::/96 reaches its IPv4 address; 64:ff9b:1::/48 is for local use only.
            return b[4..12].IndexOfAnyExcept((byte)0) >= 0 || IsInternalV4(b[12..]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsInternalV4(b[2..6]); // 6to4 2002:a.b.c.d::/48
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            // Teredo 2001::/32: the server's IPv4 address, then the client's, bits inverted.
            ReadOnlySpan<byte> client = [(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]];
            return IsInternalV4(b[4..8]) || IsInternalV4(client);
        }

        return (b[0] & 0xfe) == 0xfc // unique-local fc00::/7
            || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) // link-local fe80::/10
            || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) // site-local fec0::/10 (deprecated)
            || b[0] == 0xff; // multicast
    }

    /// <summary>
    /// The first internal address the URL's host is or resolves to, if any: checked when a URL is registered (every
    /// connection is checked again, as the name may resolve differently later). A host that does not resolve now is
    /// not refused here; its connections will be.
    /// </summary>
    public static async Task<IPAddress?> FirstInternalAddressAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (LiteralOf(uri) is { } literal)
        {
            return IsInternal(literal) ? literal : null;
        }

        try
        {
            return (await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken)).FirstOrDefault(IsInternal);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A handler whose every connection goes only to allowed addresses, following up to 5 redirects.</summary>
    /// <param name="allowInternal">Connect to internal addresses too.</param>
    /// <param name="setting">The configuration key that allows them, named when a connection is refused.</param>
    public static SocketsHttpHandler Handler(bool allowInternal, string setting) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectCallback(allowInternal, setting),
    };

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to allowed addresses of the host.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowInternal, string setting) =>
        async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => allowInternal || !IsInternal(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException(
                    $"{context.DnsEndPoint.Host} resolves to a private, loopback or link-local address ({string.Join(", ", addresses.Select(a => a.ToString()))}); " +
                    $"refused ({setting} is off).");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
