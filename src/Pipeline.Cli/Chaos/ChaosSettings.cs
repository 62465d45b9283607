namespace Pipeline.Cli.Chaos;

/// <summary>What <c>pipeline chaos</c> runs.</summary>
/// <param name="Articles">Real articles streamed through the ingestion API.</param>
/// <param name="Seed">Orders the faults and picks the broker nodes (the same seed, the same schedule).</param>
/// <param name="BrokerNodes">RabbitMQ nodes in the cluster.</param>
/// <param name="Replicas">Processes of each enricher.</param>
/// <param name="Short">The CI version: one broker-node kill and one indexer kill instead of the whole schedule.</param>
public sealed record ChaosSettings(int Articles = 5_000, int Seed = 17, int BrokerNodes = 3, int Replicas = 2, bool Short = false)
{
    /// <summary>Between a recovery and the next fault, so that each fault hits a pipeline that is running again.</summary>
    public TimeSpan Gap { get; init; } = TimeSpan.FromSeconds(Short ? 5 : 12);

    /// <summary>How long a killed process stays dead before it is started again (as a supervisor's restart delay).</summary>
    public TimeSpan DownTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a broker node is stopped in the long outage: longer than the clients' reconnect back-off, so they
    /// have given up on it and must come back by themselves.
    /// </summary>
    public TimeSpan LongOutage { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>With no article newly complete for this long after the last fault, the run stops waiting and counts.</summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromSeconds(180);
}
