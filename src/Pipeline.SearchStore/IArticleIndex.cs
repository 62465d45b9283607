namespace Pipeline.SearchStore;

/// <summary>The write side of a search store, used by the indexing service only.</summary>
public interface IArticleIndex
{
    /// <summary>
    /// Merges the messages (<see cref="Contracts.ArticleIngested"/> and <see cref="Contracts.ArticleEnriched"/>) into
    /// their articles' documents, one write per article, and returns once the writes are durable.
    /// </summary>
    Task WriteAsync(IReadOnlyList<object> messages, CancellationToken cancellationToken);
}
