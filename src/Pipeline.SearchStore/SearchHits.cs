namespace Pipeline.SearchStore;

/// <summary>Builds the list view of a document, the same for every store.</summary>
static class SearchHits
{
    const int SnippetLength = 240;

    public static SearchHit From(ArticleDocument document, double score)
    {
        var article = document.Article!;
        return new SearchHit
        {
            ArticleId = document.ArticleId,
            Score = score,
            Title = article.Title,
            Url = article.CanonicalUrl,
            Source = article.Source,
            PublishedAt = article.PublishedAt,
            Snippet = article.Text.Length <= SnippetLength ? article.Text : article.Text[..SnippetLength] + "…",
            Enrichers = [.. document.CurrentEnrichers],
            ClaimCount = document.Claims().Count,
            EntityIds = document.EntityIds(),
        };
    }
}
