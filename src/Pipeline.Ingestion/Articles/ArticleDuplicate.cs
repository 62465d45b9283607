namespace Pipeline.Ingestion.Articles;

/// <summary>The answer to a duplicate: the submitted article's id, the id of the accepted article it duplicates, and why.</summary>
public sealed record ArticleDuplicate(string ArticleId, string DuplicateOf, string Reason)
{
    public string Status => "duplicate";
}
