using System.Globalization;
using System.Net;

namespace Pipeline.Testing;

/// <summary>A TCP socket in the LISTEN state and, where this user may see it, the process that owns it.</summary>
public sealed record ListeningSocket(IPAddress Address, int Port, int? ProcessId, string? Command)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public override string ToString() => $"{Command ?? "?"}[{ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "?"}] {new IPEndPoint(Address, Port)}";
}

/// <summary>
/// What <c>ss -ltnp</c> shows, read from /proc (Linux only): every listening TCP socket, IPv4 and IPv6, with its owner
/// when the owner's file descriptors are readable (our own processes).
/// </summary>
public static class ListeningSockets
{
    public static bool Available => File.Exists("/proc/net/tcp");

    public static IReadOnlyList<ListeningSocket> Read()
    {
        var owners = SocketOwners();
        var sockets = new List<ListeningSocket>();
        foreach (var (file, width) in new[] { ("/proc/net/tcp", 4), ("/proc/net/tcp6", 16) })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != "0A")
                {
                    continue; // 0A = TCP_LISTEN
                }

                var (address, port) = ParseEndpoint(fields[1], width);
                var inode = long.Parse(fields[9], CultureInfo.InvariantCulture);
                owners.TryGetValue(inode, out var owner);
                sockets.Add(new ListeningSocket(address, port, owner.Pid == 0 ? null : owner.Pid, owner.Command));
            }
        }

        return sockets;
    }

    static (IPAddress Address, int Port) ParseEndpoint(string text, int width)
    {
        var parts = text.Split(':');
        var hex = Convert.FromHexString(parts[0]);
        // The kernel prints the address as 32-bit words in host (little-endian) order.
        var bytes = new byte[width];
        for (var word = 0; word < width / 4; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                bytes[word * 4 + b] = hex[word * 4 + 3 - b];
            }
        }

        return (new IPAddress(bytes), int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    static Dictionary<long, (int Pid, string? Command)> SocketOwners()
    {
        var owners = new Dictionary<long, (int, string?)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                string? command = null;
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && long.TryParse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture, out var inode))
                    {
                        command ??= File.ReadAllText(Path.Combine(directory, "comm")).Trim();
                        owners.TryAdd(inode, (pid, command));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just exited.
            }
        }

        return owners;
    }
}
