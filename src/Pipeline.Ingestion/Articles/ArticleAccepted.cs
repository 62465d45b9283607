namespace Pipeline.Ingestion.Articles;

/// <summary>The answer to an accepted article: its id, under which the search API will serve it once indexed.</summary>
public sealed record ArticleAccepted(string ArticleId, string ContentHash, string? CanonicalUrl);
