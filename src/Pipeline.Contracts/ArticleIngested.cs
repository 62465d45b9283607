namespace Pipeline.Contracts;

/// <summary>
/// An article was accepted by ingestion and is ready to be analysed and indexed.
/// Published once per accepted article; consumers must tolerate redelivery.
/// </summary>
public sealed record ArticleIngested : IArticleMessage
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Deterministic id, see <see cref="ArticleIdentity.ArticleId"/>.</summary>
    public required string ArticleId { get; init; }

    /// <summary>The URL with tracking parameters and fragment removed; null for articles that came without one.</summary>
    public string? CanonicalUrl { get; init; }

    /// <summary>The outlet, e.g. "cnn.com" or "Daily Caller News Foundation".</summary>
    public string? Source { get; init; }

    public required string Title { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>ISO 639-1 code, when known.</summary>
    public string? Language { get; init; }

    /// <summary>The normalised article text that every enricher analyses.</summary>
    public required string Text { get; init; }

    /// <summary><see cref="ArticleIdentity.ContentHash"/> of <see cref="Text"/>.</summary>
    public required string ContentHash { get; init; }

    public required DateTimeOffset IngestedAt { get; init; }
}
