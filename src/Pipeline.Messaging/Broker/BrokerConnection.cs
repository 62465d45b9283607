using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace Pipeline.Messaging.Broker;

/// <summary>One node of the broker cluster, as given in <c>ConnectionStrings:rabbitmq</c>.</summary>
public sealed record BrokerNode(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// <c>ConnectionStrings:rabbitmq</c>, parsed once for everything that talks to the broker: MassTransit's bus (cluster
/// hosts) and the raw AMQP clients (queue monitor, operations, error-queue replay, health probe). The string is one
/// amqp:// or amqps:// URI, or several separated by commas, one per cluster node, all with the same scheme,
/// credentials and virtual host: <c>amqp://guest:guest@127.0.0.1:5680,amqp://guest:guest@127.0.0.1:5681</c>.
/// A client connects to the first node that answers, in the order given, and fails over to the others.
/// </summary>
public sealed class BrokerConnection
{
    /// <summary>The Aspire connection-string key (and AppHost resource name) of the broker.</summary>
    public const string ConnectionName = "rabbitmq";

    const string Key = $"ConnectionStrings:{ConnectionName}";

    BrokerConnection(IReadOnlyList<BrokerNode> nodes, bool tls, string userName, string password, string virtualHost)
    {
        Nodes = nodes;
        Tls = tls;
        UserName = userName;
        Password = password;
        VirtualHost = virtualHost;
    }

    public IReadOnlyList<BrokerNode> Nodes { get; }

    public bool Tls { get; }

    public string UserName { get; }

    public string Password { get; }

    public string VirtualHost { get; }

    /// <summary>The first node's address without credentials (MassTransit names the bus's host after it).</summary>
    public Uri FirstNodeUri => new UriBuilder(Tls ? "amqps" : "amqp", Nodes[0].Host, Nodes[0].Port, VirtualHost == "/" ? "/" : "/" + Uri.EscapeDataString(VirtualHost)).Uri;

    public IReadOnlyList<AmqpTcpEndpoint> Endpoints =>
        [.. Nodes.Select(n => Tls ? new AmqpTcpEndpoint(n.Host, n.Port, new SslOption(n.Host, enabled: true)) : new AmqpTcpEndpoint(n.Host, n.Port))];

    /// <summary>From <c>ConnectionStrings:rabbitmq</c>; a missing or malformed value throws naming the key and the fix.</summary>
    public static BrokerConnection FromConfiguration(IConfiguration configuration) => Parse(configuration.GetConnectionString(ConnectionName));

    public static BrokerConnection Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{Key} is not set. Run the service from the AppHost (./run), or set it, e.g. ConnectionStrings__{ConnectionName}=amqp://guest:guest@127.0.0.1:5672 " +
                "(a cluster: one URI per node, separated by commas).");
        }

        var entries = connectionString.Split(',', StringSplitOptions.TrimEntries);
        var nodes = new List<BrokerNode>(entries.Length);
        (string Scheme, string UserInfo, string VirtualHost)? first = null;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var which = entries.Length == 1 ? "" : $" (node {i + 1} of {entries.Length})";
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || string.IsNullOrEmpty(uri.Host))
            {
                throw new InvalidOperationException(
                    $"{Key} must be an amqp:// or amqps:// URI, or several separated by commas (one per cluster node); got '{Redact(entry)}'{which}.");
            }

            if (uri.HostNameType == UriHostNameType.IPv6 && entries.Length > 1)
            {
                throw new InvalidOperationException($"{Key}: node '{Redact(entry)}' is an IPv6 address; a cluster list takes host names or IPv4 addresses.");
            }

            var virtualHost = uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath[1..]);
            var identity = (uri.Scheme, uri.UserInfo, virtualHost);
            if (first is null)
            {
                first = identity;
            }
            else if (first != identity)
            {
                throw new InvalidOperationException(
                    $"{Key}: every node must use the same scheme, user, password and virtual host; '{Redact(entry)}'{which} differs from the first node " +
                    $"'{Redact(entries[0])}'.");
            }

            var node = new BrokerNode(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port);
            if (nodes.Contains(node))
            {
                throw new InvalidOperationException($"{Key} names the node {node} twice.");
            }

            nodes.Add(node);
        }

        var (scheme, userInfo, vhost) = first!.Value;
        var (user, password) = Credentials(userInfo);
        return new BrokerConnection(nodes, scheme == "amqps", user, password, vhost);
    }

    /// <summary>A factory for a raw RabbitMQ.Client connection; connect with <see cref="ConnectAsync"/> to get the failover.</summary>
    public ConnectionFactory CreateFactory(string clientName) => new()
    {
        UserName = UserName,
        Password = Password,
        VirtualHost = VirtualHost,
        ClientProvidedName = clientName,
    };

    /// <summary>Connects to the first node that answers, in the order given.</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken) =>
        CreateFactory(clientName).CreateConnectionAsync(Endpoints, clientName, cancellationToken);

    /// <summary>The URI with its password replaced, for error messages and logs.</summary>
    public static string Redact(string uri)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var colon = at < 0 ? -1 : uri.LastIndexOf(':', at);
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        return colon > schemeEnd + 2 ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }

    static (string User, string Password) Credentials(string userInfo)
    {
        if (string.IsNullOrEmpty(userInfo))
        {
            return ("guest", "guest");
        }

        var parts = userInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
