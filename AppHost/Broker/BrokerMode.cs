namespace Pipeline.AppHost.Broker;

/// <summary>Where the pipeline's RabbitMQ comes from, in order of preference.</summary>
enum BrokerMode
{
    /// <summary><c>ConnectionStrings:rabbitmq</c> is set: an existing broker.</summary>
    External,

    /// <summary>Docker or Podman answers: the RabbitMQ container with its management plugin.</summary>
    Container,

    /// <summary>The Debian rabbitmq-server package is installed: a private node run as a plain process.</summary>
    LocalNode,
}
