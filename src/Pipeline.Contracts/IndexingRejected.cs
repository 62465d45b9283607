using System.Text.Json;

namespace Pipeline.Contracts;

/// <summary>
/// A message the indexer could not turn into a document (malformed payload, a value the store refuses). It is
/// sent to the indexer's dead-letter queue with the store's reason and the original message, instead of failing
/// the batch it came in. After a fix, the indexing service's dead-letter replay (POST /admin/index/dead-letters/replay,
/// "Replay dead letters" in the dashboard) sends <see cref="OriginalMessage"/> back to the indexer, when
/// <see cref="MessageType"/> is ArticleIngested or ArticleEnriched (any other type was kept only as its IArticleMessage part).
/// </summary>
public sealed record IndexingRejected
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string ArticleId { get; init; }

    /// <summary>The original message's type name, e.g. "ArticleEnriched".</summary>
    public required string MessageType { get; init; }

    public required string Reason { get; init; }

    public required JsonElement OriginalMessage { get; init; }

    public required DateTimeOffset RejectedAt { get; init; }
}
