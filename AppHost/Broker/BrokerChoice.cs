namespace Pipeline.AppHost.Broker;

/// <summary>
/// The broker the services use: <see cref="ConnectionString"/> is what they reference (key <c>rabbitmq</c>),
/// <see cref="Servers"/> what they wait for (the same resource, except for the private nodes: every one of them).
/// </summary>
sealed record BrokerChoice(
    BrokerMode Mode,
    string Reason,
    IResourceBuilder<IResourceWithConnectionString> ConnectionString,
    IReadOnlyList<IResourceBuilder<IResource>> Servers);
