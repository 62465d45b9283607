namespace Pipeline.AppHost.Broker;

/// <summary>
/// The broker the services use: <see cref="ConnectionString"/> is what they reference (key <c>rabbitmq</c>),
/// <see cref="Server"/> what they wait for (the same resource, except for the private node).
/// </summary>
sealed record BrokerChoice(
    BrokerMode Mode,
    string Reason,
    IResourceBuilder<IResourceWithConnectionString> ConnectionString,
    IResourceBuilder<IResource> Server);
