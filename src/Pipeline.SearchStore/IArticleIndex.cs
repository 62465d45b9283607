namespace Pipeline.SearchStore;

/// <summary>The write side of a search store, used by the indexing service only.</summary>
public interface IArticleIndex
{
    /// <summary>
    /// Merges the messages (<see cref="Contracts.ArticleIngested"/> and <see cref="Contracts.ArticleEnriched"/>) into
    /// their articles' documents, one write per article, and returns once the writes are durable. A document the
    /// store refuses does not fail the call: its messages come back as rejections. Only a failure of the store
    /// itself (disk, connection) throws, and then nothing of the call may be taken as written.
    /// </summary>
    Task<IReadOnlyList<IndexRejection>> WriteAsync(IReadOnlyList<object> messages, CancellationToken cancellationToken);
}
