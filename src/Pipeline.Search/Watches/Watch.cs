namespace Pipeline.Search.Watches;

/// <summary>
/// A saved search with a name: <see cref="Query"/> is the search's canonical query string (as <c>GET /search</c> takes
/// it). It matches the articles that fit the search and become searchable (are written by the store) at or after
/// <see cref="Since"/>, its creation or the last change of its query; <see cref="Checkpoint"/> is how far the
/// evaluator has looked.
/// </summary>
public sealed record Watch(
    string Id,
    string Name,
    string Query,
    string? WebhookUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset Since,
    DateTimeOffset LastVisitedAt,
    DateTimeOffset Checkpoint,
    DateTimeOffset? LastEvaluatedAt,
    string? LastError);

/// <summary>An article a watch found, with what the index said of it when it was found.</summary>
public sealed record WatchMatch(
    string ArticleId,
    DateTimeOffset MatchedAt,
    string Title,
    string? Url,
    string? Source,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? IndexedAt);

/// <summary>One webhook POST waiting in the outbox, being retried, sent, or given up.</summary>
public sealed record WebhookDelivery(
    long Id,
    string WatchId,
    string Payload,
    int MatchCount,
    string State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? FinishedAt,
    string? LastError);

/// <summary>States of a <see cref="WebhookDelivery"/>.</summary>
public static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>A watch with its counts: matches in all, those found since the analyst last opened it, and its webhook outbox.</summary>
public sealed record WatchSummary(Watch Watch, long TotalMatches, long NewSinceLastVisit, DateTimeOffset? LastMatchAt, WebhookStatus Webhook);

/// <summary>The outbox of a watch's webhook: deliveries per state and the latest one.</summary>
public sealed record WebhookStatus(long Pending, long Delivered, long Failed, WebhookDelivery? Latest);
