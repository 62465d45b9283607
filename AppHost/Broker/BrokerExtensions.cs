using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.AppHost.Broker;

static class BrokerExtensions
{
    /// <summary>The resource name, which is also the connection-string key every service reads.</summary>
    public const string ResourceName = "rabbitmq";

    /// <summary>
    /// Chooses the broker before any resource exists (a container resource without a runtime hangs the start):
    /// configured connection string, else a container, else a private node from the Debian package.
    /// </summary>
    public static BrokerChoice AddBroker(this IDistributedApplicationBuilder builder, PipelineSettings settings)
    {
        var broker = ChooseAndAdd(builder, settings);
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pipeline.AppHost.Broker")
                .LogInformation("RabbitMQ: {Mode}, because {Reason}", broker.Mode, broker.Reason);
            return Task.CompletedTask;
        });
        return broker;
    }

    /// <summary>References the broker's connection string and starts only once the broker is up.</summary>
    public static IResourceBuilder<T> WithBroker<T>(this IResourceBuilder<T> project, BrokerChoice broker)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        project.WithReference(broker.ConnectionString);
        foreach (var server in broker.Servers)
        {
            project.WaitFor(server);
        }

        return project;
    }

    static BrokerChoice ChooseAndAdd(IDistributedApplicationBuilder builder, PipelineSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ResourceName)))
        {
            if (settings.Broker.Nodes > 1)
            {
                throw new InvalidOperationException(
                    $"{PipelineSettings.SectionName}:Broker:Nodes={settings.Broker.Nodes} runs local nodes, but ConnectionStrings:{ResourceName} points at a broker already: " +
                    "list every node of that cluster in the connection string (comma-separated amqp URIs) and leave Broker:Nodes at 1.");
            }

            var external = builder.AddConnectionString(ResourceName);
            return new(BrokerMode.External, $"ConnectionStrings:{ResourceName} is configured", external, [external]);
        }

        // A cluster is the local nodes' feature: the container mode runs one broker.
        var containerReason = settings.Broker.Nodes > 1
            ? (Usable: false, Why: $"{PipelineSettings.SectionName}:Broker:Nodes is {settings.Broker.Nodes}")
            : ContainersUsable(builder, settings);
        if (containerReason.Usable)
        {
            var container = builder.AddRabbitMQ(ResourceName, port: settings.RabbitMQ.AmqpPort)
                .WithManagementPlugin(port: settings.RabbitMQ.ManagementPort);
            return new(BrokerMode.Container, containerReason.Why, container, [container]);
        }

        if (LocalRabbitMqNode.IsInstalled)
        {
            var (nodes, connectionString) = builder.AddLocalRabbitMqCluster(settings);
            var connection = builder.AddConnectionString(ResourceName, connectionString);
            var what = nodes.Count == 1 ? "" : $" ({nodes.Count} nodes, {PipelineSettings.SectionName}:Broker:Nodes)";
            return new(BrokerMode.LocalNode, $"{containerReason.Why} and {LocalRabbitMqNode.ServerScript} is installed{what}", connection, [.. nodes]);
        }

        throw new InvalidOperationException(
            $"No RabbitMQ broker is available: {containerReason.Why}, and {LocalRabbitMqNode.ServerScript} is not installed. " +
            "Fix one of: run ./run (it installs rabbitmq-server); or `sudo apt-get install rabbitmq-server`; " +
            $"or start Docker or Podman; or point the AppHost at a broker with ConnectionStrings:{ResourceName} " +
            $"(e.g. ConnectionStrings__{ResourceName}=amqp://guest:guest@127.0.0.1:5672).");
    }

    static (bool Usable, string Why) ContainersUsable(IDistributedApplicationBuilder builder, PipelineSettings settings)
    {
        switch (settings.Containers)
        {
            case "false":
                return (false, $"{PipelineSettings.SectionName}:Containers is false");
            case "true":
                return (true, $"{PipelineSettings.SectionName}:Containers is true");
        }

        if (!builder.ExecutionContext.IsRunMode)
        {
            return (true, "the AppHost is publishing, not running");
        }

        var runtime = ContainerRuntime.FindHealthy(builder.Configuration);
        if (runtime is null)
        {
            return (false, "neither `docker info` nor `podman info` succeeded");
        }

        // Aspire defaults to Docker; tell it when only Podman works.
        builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] = runtime;
        return (true, $"`{runtime} info` succeeded");
    }
}
