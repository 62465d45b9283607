namespace Pipeline.SearchStore;

/// <summary>One matching article, with enough to list it; the whole document comes from <see cref="IArticleSearch.GetAsync"/>.</summary>
public sealed record SearchHit
{
    public required string ArticleId { get; init; }

    public required double Score { get; init; }

    public required string Title { get; init; }

    public string? Url { get; init; }

    public string? Source { get; init; }

    public string? Language { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>When the store last wrote the article (see <see cref="ArticleDocument.IndexedAt"/>).</summary>
    public DateTimeOffset? IndexedAt { get; init; }

    /// <summary>When the article became searchable (see <see cref="ArticleDocument.FirstIndexedAt"/>); for watches, not in API answers.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? FirstIndexedAt { get; init; }

    /// <summary>The start of the text, plain.</summary>
    public required string Snippet { get; init; }

    /// <summary>HTML-escaped title with the query's terms in &lt;mark&gt;; null when the title has none of them.</summary>
    public string? TitleHighlight { get; init; }

    /// <summary>HTML-escaped text fragments with the query's terms in &lt;mark&gt;, best first; empty without a text query.</summary>
    public IReadOnlyList<string> Highlights { get; init; } = [];

    public required IReadOnlyList<string> Enrichers { get; init; }

    public int ClaimCount { get; init; }

    /// <summary>The highest check-worthiness of the article's claims; null without claims.</summary>
    public double? MaxCheckWorthiness { get; init; }

    public IReadOnlyList<string> ClaimTypes { get; init; } = [];

    public IReadOnlyList<string> EntityIds { get; init; } = [];
}
