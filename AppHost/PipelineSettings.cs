using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

/// <summary>
/// AppHost section <c>Pipeline</c> (appsettings.json, environment <c>Pipeline__*</c> or <c>--Pipeline:*</c>):
/// where local state lives, whether containers may be used, and the private RabbitMQ node's ports.
/// </summary>
sealed class PipelineSettings
{
    public const string SectionName = "Pipeline";

    /// <summary>Local state (Lucene index, private RabbitMQ node); a relative path is relative to the repository root.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary><c>auto</c> probes Docker/Podman; <c>true</c> or <c>false</c> skip the probe.</summary>
    public string Containers { get; set; } = "auto";

    public RabbitMqPorts RabbitMQ { get; set; } = new();

    /// <summary>Whether the container mode also runs an Elasticsearch container (the services then use it instead of Lucene).</summary>
    public bool Elasticsearch { get; set; } = true;

    /// <summary>The absolute data directory: <see cref="DataDirectory"/> resolved against the repository root.</summary>
    public string DataPath { get; private set; } = "";

    public string IndexPath => Path.Combine(DataPath, "index");

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

        settings.RabbitMQ.Validate($"{SectionName}:RabbitMQ");
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        settings.DataPath = Path.GetFullPath(settings.DataDirectory, repositoryRoot);
        return settings;
    }
}

/// <summary>
/// Fixed host ports of the broker the AppHost runs itself, so the management UI has a stable address. Unusual defaults,
/// so a system RabbitMQ on 5672/15672 does not clash.
/// </summary>
sealed class RabbitMqPorts
{
    public int AmqpPort { get; set; } = 5680;

    public int ManagementPort { get; set; } = 15680;

    /// <summary>Erlang distribution (rabbitmqctl) of the private node; its default, AMQP + 20000, can exceed 65535.</summary>
    public int DistPort { get; set; } = 25680;

    public void Validate(string section)
    {
        foreach (var (key, port) in new[] { ("AmqpPort", AmqpPort), ("ManagementPort", ManagementPort), ("DistPort", DistPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{section}:{key} must be a TCP port (1-65535), got {port}.");
            }
        }

        if (new[] { AmqpPort, ManagementPort, DistPort }.Distinct().Count() != 3)
        {
            throw new InvalidOperationException($"{section}:AmqpPort, ManagementPort and DistPort must differ.");
        }
    }
}
