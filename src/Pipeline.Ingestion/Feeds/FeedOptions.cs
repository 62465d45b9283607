using System.ComponentModel.DataAnnotations;

namespace Pipeline.Ingestion.Feeds;

/// <summary>Section <c>Ingestion:Feeds</c>: configured RSS/Atom feeds and how they are polled.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Ingestion:Feeds";

    /// <summary>Feeds polled from the start (more can be added through POST /feeds).</summary>
    public List<FeedSource> Sources { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one feed or page request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest feed document or linked page read, in bytes.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Fetch each new item's linked page and extract its main text (otherwise the item's own content is used).</summary>
    public bool FetchLinkedPages { get; set; } = true;

    /// <summary>
    /// Allows feeds and pages on private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback and link-local addresses.
    /// Off by default: a feed URL must not be a way to reach the service's own network (SSRF).
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}

/// <summary>One configured feed.</summary>
public sealed class FeedSource
{
    [Required]
    public string Url { get; set; } = "";

    public string? Name { get; set; }
}
