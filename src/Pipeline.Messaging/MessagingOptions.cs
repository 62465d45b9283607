using System.ComponentModel.DataAnnotations;

namespace Pipeline.Messaging;

/// <summary>How the pipeline's queues are declared on the broker (<c>Messaging:QueueType</c>).</summary>
public enum PipelineQueueType
{
    /// <summary>Replicated over the cluster's nodes (Raft), with a delivery limit; needs RabbitMQ 3.8 or later.</summary>
    Quorum,

    /// <summary>RabbitMQ's single-node queues, as before quorum queues; for old brokers and existing classic deployments.</summary>
    Classic,
}

/// <summary>Broker behaviour shared by every service; section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>In-process retries of a failing message before it is redelivered or moved to its _error queue.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Broker-side delayed redelivery after the in-process retries are spent. RabbitMQ needs the
    /// rabbitmq_delayed_message_exchange plugin for it (the AppHost's container image has it; the Debian
    /// package does not), so it is off unless configured. Without it the in-process retries apply, and a
    /// message that still fails lands in its endpoint's _error queue, from where it can be replayed.
    /// </summary>
    public bool DelayedRedelivery { get; set; }

    /// <summary>Intervals of the delayed redeliveries, when <see cref="DelayedRedelivery"/> is on.</summary>
    public TimeSpan[] RedeliveryIntervals { get; set; } =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>How long a publish may wait for the broker's confirm before the caller gives up (ingestion answers 503).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// quorum (default) or classic: the type of every pipeline queue (the indexer's, each enricher's, their _error
    /// queues and the indexing dead-letter queue). The broker refuses to change the type of an existing queue: see
    /// docs/reliability.md ("Quorum queues") for moving a classic deployment over.
    /// </summary>
    [EnumDataType(typeof(PipelineQueueType))]
    public PipelineQueueType QueueType { get; set; } = PipelineQueueType.Quorum;

    /// <summary>
    /// Quorum queues only (x-delivery-limit): how often the broker hands out one message before it moves it to the
    /// queue's _error queue instead. A consumer that fails normally never gets there (MassTransit moves the message after
    /// its retries, acknowledging it); this catches the message that kills its consumer's process every time, which
    /// would otherwise be redelivered forever. Every crash, kill or broker failover while a message is unacknowledged
    /// counts once, so keep it well above the restarts a healthy message may see.
    /// </summary>
    [Range(1, 1_000)]
    public int DeliveryLimit { get; set; } = 20;

    /// <summary>How long a broker health probe (a fresh AMQP connection) may take before the service reports Unhealthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one broker health probe's answer is reused, so frequent /health polls do not each open a connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan HealthProbeCacheTime { get; set; } = TimeSpan.FromSeconds(2);
}
