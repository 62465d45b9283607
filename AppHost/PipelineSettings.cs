using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

/// <summary>
/// AppHost section <c>Pipeline</c> (appsettings.json, environment <c>Pipeline__*</c> or <c>--Pipeline:*</c>):
/// where local state lives, whether containers may be used, the private RabbitMQ nodes, replicas per service, and
/// how crashed processes are restarted.
/// </summary>
sealed class PipelineSettings
{
    public const string SectionName = "Pipeline";

    /// <summary>Local state (Lucene index, private RabbitMQ node); a relative path is relative to the repository root.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary><c>auto</c> probes Docker/Podman; <c>true</c> or <c>false</c> skip the probe.</summary>
    public string Containers { get; set; } = "auto";

    public RabbitMqPorts RabbitMQ { get; set; } = new();

    public BrokerSettings Broker { get; set; } = new();

    /// <summary>
    /// Instances per service resource (<c>Pipeline:Replicas:claim-tagging=2</c>); a service not named runs once. See
    /// <see cref="ReplicaExtensions"/> for which services may have more than one.
    /// </summary>
    public Dictionary<string, int> Replicas { get; set; } = new(StringComparer.Ordinal);

    public CrashRestartSettings CrashRestarts { get; set; } = new();

    /// <summary>Whether the container mode also runs an Elasticsearch container (the services then use it instead of Lucene).</summary>
    public bool Elasticsearch { get; set; } = true;

    /// <summary>The search service's watches (<c>Pipeline:Watches:AllowPrivateAddresses</c>).</summary>
    public WatchSettings Watches { get; set; } = new();

    /// <summary>The absolute data directory: <see cref="DataDirectory"/> resolved against the repository root.</summary>
    public string DataPath { get; private set; } = "";

    public string IndexPath => Path.Combine(DataPath, "index");

    /// <summary>
    /// Webhooks to this machine or its network (off): for a local try with a receiver on 127.0.0.1, passed to the search
    /// service as <c>Watches:AllowPrivateAddresses</c>.
    /// </summary>
    public sealed class WatchSettings
    {
        public bool AllowPrivateAddresses { get; set; }
    }

    public static PipelineSettings From(IDistributedApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(SectionName).Get<PipelineSettings>() ?? new();
        if (string.IsNullOrWhiteSpace(settings.DataDirectory))
        {
            throw new InvalidOperationException($"{SectionName}:DataDirectory must not be empty.");
        }

        if (settings.Containers is not ("auto" or "true" or "false"))
        {
            throw new InvalidOperationException($"{SectionName}:Containers must be auto, true or false, got '{settings.Containers}'.");
        }

        settings.Broker.Validate($"{SectionName}:Broker");
        settings.RabbitMQ.Validate($"{SectionName}:RabbitMQ", settings.Broker.Nodes);
        settings.CrashRestarts.Validate($"{SectionName}:CrashRestarts");
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        settings.DataPath = Path.GetFullPath(settings.DataDirectory, repositoryRoot);
        return settings;
    }
}

/// <summary>
/// Fixed host ports of the broker the AppHost runs itself, so the management UI has a stable address. Unusual defaults,
/// so a system RabbitMQ on 5672/15672 does not clash. With several nodes, node i (from 0) uses each port + i.
/// </summary>
sealed class RabbitMqPorts
{
    public int AmqpPort { get; set; } = 5680;

    public int ManagementPort { get; set; } = 15680;

    /// <summary>Erlang distribution (rabbitmqctl) of the private node; its default, AMQP + 20000, can exceed 65535.</summary>
    public int DistPort { get; set; } = 25680;

    /// <summary>The ports of node <paramref name="index"/> (from 0) of a local cluster.</summary>
    public RabbitMqPorts ForNode(int index) => new()
    {
        AmqpPort = AmqpPort + index,
        ManagementPort = ManagementPort + index,
        DistPort = DistPort + index,
    };

    public void Validate(string section, int nodes = 1)
    {
        foreach (var (key, port) in new[] { ("AmqpPort", AmqpPort), ("ManagementPort", ManagementPort), ("DistPort", DistPort) })
        {
            if (port < 1 || port + nodes - 1 > 65535)
            {
                throw new InvalidOperationException(nodes == 1
                    ? $"{section}:{key} must be a TCP port (1-65535), got {port}."
                    : $"{section}:{key} must leave room for {nodes} nodes (it and the next {nodes - 1} ports, all within 1-65535), got {port}.");
            }
        }

        var ports = Enumerable.Range(0, nodes).Select(ForNode).SelectMany(p => new[] { p.AmqpPort, p.ManagementPort, p.DistPort }).ToList();
        if (ports.Distinct().Count() != ports.Count)
        {
            throw new InvalidOperationException(nodes == 1
                ? $"{section}:AmqpPort, ManagementPort and DistPort must differ."
                : $"{section}:AmqpPort, ManagementPort and DistPort must be at least {nodes} apart: each of the {nodes} nodes uses the next port of each.");
        }
    }
}

/// <summary>The broker the AppHost runs itself: how many local RabbitMQ nodes, joined into one cluster.</summary>
sealed class BrokerSettings
{
    public const int MaxNodes = 7;

    /// <summary>1 (the default) runs one node as always; 3 a cluster that survives one node's loss (quorum queues).</summary>
    public int Nodes { get; set; } = 1;

    public void Validate(string section)
    {
        if (Nodes is < 1 or > MaxNodes)
        {
            throw new InvalidOperationException($"{section}:Nodes must be 1 to {MaxNodes} (3 for a cluster that survives losing one node), got {Nodes}.");
        }
    }
}

/// <summary>
/// How the AppHost restarts a service or broker node whose process died without anyone pressing Stop: after
/// <see cref="FirstDelay"/>, doubling with every crash up to <see cref="MaxDelay"/>, and back to the first delay once
/// the process has run for <see cref="ResetAfter"/>.
/// </summary>
sealed class CrashRestartSettings
{
    public bool Enabled { get; set; } = true;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ResetAfter { get; set; } = TimeSpan.FromSeconds(60);

    public void Validate(string section)
    {
        if (FirstDelay <= TimeSpan.Zero || MaxDelay < FirstDelay || ResetAfter <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{section}: FirstDelay and ResetAfter must be positive and MaxDelay at least FirstDelay, got FirstDelay={FirstDelay}, MaxDelay={MaxDelay}, ResetAfter={ResetAfter}.");
        }
    }
}
