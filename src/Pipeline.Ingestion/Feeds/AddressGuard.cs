using System.Net;
using System.Net.Sockets;

namespace Pipeline.Ingestion.Feeds;

/// <summary>
/// Refuses connections to addresses inside the service's own networks (private, loopback, link-local, unspecified,
/// multicast, carrier-grade NAT, IPv6 unique-local and site-local) unless they are explicitly allowed. Checked on the
/// resolved address of every connection, redirects included, so a DNS name or a redirect cannot get around it.
/// </summary>
public static class AddressGuard
{
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || b[0] >= 224;
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    /// <summary>A handler whose every connection goes only to allowed addresses.</summary>
    public static SocketsHttpHandler Handler(bool allowInternal) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => allowInternal || !IsInternal(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException(
                    $"{context.DnsEndPoint.Host} resolves to a private, loopback or link-local address ({string.Join(", ", addresses.Select(a => a.ToString()))}); " +
                    "refused (Ingestion:Feeds:AllowPrivateAddresses is off).");
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
        },
    };
}
