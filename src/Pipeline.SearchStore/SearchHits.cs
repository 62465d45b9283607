namespace Pipeline.SearchStore;

/// <summary>Builds the list view of a document, the same for every store.</summary>
static class SearchHits
{
    const int SnippetLength = 240;

    public static SearchHit From(ArticleDocument document, double score, string? titleHighlight = null, IReadOnlyList<string>? highlights = null)
    {
        var article = document.Article!;
        var claims = document.Claims();
        return new SearchHit
        {
            ArticleId = document.ArticleId,
            Score = score,
            Title = article.Title,
            Url = article.CanonicalUrl,
            Source = article.Source,
            Language = article.Language,
            PublishedAt = article.PublishedAt,
            IndexedAt = document.IndexedAt,
            FirstIndexedAt = document.FirstIndexedAt,
            Snippet = article.Text.Length <= SnippetLength ? article.Text : article.Text[..SnippetLength] + "…",
            TitleHighlight = titleHighlight,
            Highlights = highlights ?? [],
            Enrichers = [.. document.CurrentEnrichers],
            ClaimCount = claims.Count,
            MaxCheckWorthiness = claims.Count == 0 ? null : claims.Max(c => c.CheckWorthiness),
            ClaimTypes = [.. claims.Select(c => c.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            EntityIds = document.EntityIds(),
        };
    }
}
