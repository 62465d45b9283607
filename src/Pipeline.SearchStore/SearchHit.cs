namespace Pipeline.SearchStore;

/// <summary>One matching article, with enough to list it; the whole document comes from <see cref="IArticleSearch.GetAsync"/>.</summary>
public sealed record SearchHit
{
    public required string ArticleId { get; init; }

    public required double Score { get; init; }

    public required string Title { get; init; }

    public string? Url { get; init; }

    public string? Source { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public required string Snippet { get; init; }

    public required IReadOnlyList<string> Enrichers { get; init; }

    public int ClaimCount { get; init; }

    public IReadOnlyList<string> EntityIds { get; init; } = [];
}
