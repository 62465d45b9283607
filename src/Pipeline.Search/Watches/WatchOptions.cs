using System.ComponentModel.DataAnnotations;

namespace Pipeline.Search.Watches;

/// <summary>Section <c>Watches</c>: where the watch database lives, how often watches are evaluated, how webhooks are sent.</summary>
public sealed class WatchOptions
{
    public const string SectionName = "Watches";

    /// <summary>
    /// The SQLite file of watches, matches and webhook deliveries. Default with Lucene: beside the index directory and named
    /// after it, <c>{SearchStore:LucenePath}.watches.db</c> (never inside it: the indexer owns that). Required with Elasticsearch, which has no local directory.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>Time between two evaluations of the watches (and the longest a due webhook delivery waits).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How far before its checkpoint each evaluation looks again, so that an article written (and stamped) before the
    /// checkpoint but committed, refreshed or clock-skewed past it is still found; an article found twice counts once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 100_000)]
    public int MaxWatches { get; set; } = 500;

    /// <summary>
    /// Most articles one evaluation of one watch reads (a bound for a broad watch during a bulk import); more are
    /// skipped, and a warning is logged.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxMatchesPerEvaluation { get; set; } = 10_000;

    /// <summary>Most matches in one webhook POST; more new matches are sent as several deliveries.</summary>
    [Range(1, 10_000)]
    public int MaxMatchesPerDelivery { get; set; } = 100;

    /// <summary>Send webhooks to private, loopback and link-local addresses too (for a receiver on this machine in a trial).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Longest wait for a webhook receiver's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts of one delivery before it is marked failed.</summary>
    [Range(1, 100)]
    public int WebhookMaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; it doubles per attempt (with jitter) up to <see cref="WebhookRetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan WebhookRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan WebhookRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);
}
