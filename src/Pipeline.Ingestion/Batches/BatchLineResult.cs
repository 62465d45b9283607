namespace Pipeline.Ingestion.Batches;

/// <summary>One line of the NDJSON answer to a batch (for the OpenAPI document; the service writes these directly).</summary>
public sealed record BatchLineResult(int Line, string Status, string? ArticleId, string? DuplicateOf, string? Field, string? Reason);
