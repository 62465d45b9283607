namespace Pipeline.Ingestion.Articles;

/// <summary>Why a submission was refused: the offending field (JSON name, or "body") and a message for the client.</summary>
public sealed record ArticleRejection(string Field, string Message);
