namespace Pipeline.Ingestion.Feeds;

/// <summary>One feed as the service keeps it (persisted in feeds.json): its address, validators and last outcome.</summary>
public sealed class FeedState
{
    public required string Id { get; init; }

    public required string Url { get; init; }

    public string? Name { get; set; }

    /// <summary>"configuration" or "api"; only feeds added through the API can be removed through it.</summary>
    public string Origin { get; init; } = "api";

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public DateTimeOffset? LastPolledAt { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary>Why the last poll failed; null after a successful one.</summary>
    public string? LastError { get; set; }

    public int ConsecutiveFailures { get; set; }

    public long ItemsAccepted { get; set; }

    public long ItemsDuplicate { get; set; }

    public long ItemsRejected { get; set; }

    /// <summary>Links of recent items already handled, so their pages are not fetched again (the newest 1,000).</summary>
    public List<string> SeenItems { get; set; } = [];
}
