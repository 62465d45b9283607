using System.ComponentModel.DataAnnotations;

namespace Pipeline.Messaging;

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
}
