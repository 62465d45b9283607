using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>The write side of a search store, used by the indexing service only.</summary>
public interface IArticleIndex
{
    /// <summary>
    /// Merges the messages (<see cref="ArticleIngested"/> and <see cref="ArticleEnriched"/>) into their articles'
    /// documents (grouped by <see cref="IArticleMessage.ArticleId"/>), one write per article, and hands the documents
    /// to the store. Returns as soon as the next write may begin; the returned <see cref="IndexWrite"/> completes once
    /// these documents are durable (a store may make a write durable while the next one is being merged). A document
    /// the store refuses does not fail the write: its messages come back as rejections, as do messages without an id
    /// or of a type <see cref="DocumentMerge"/> does not know. Only a failure of the store itself (disk, connection)
    /// fails it, and then nothing of the write may be taken as written.
    /// </summary>
    Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken);
}

/// <summary>A write handed to a store; <see cref="Durable"/> completes with the refused messages once it is durable.</summary>
public sealed record IndexWrite(Task<IReadOnlyList<IndexRejection>> Durable)
{
    public static IndexWrite Completed(IReadOnlyList<IndexRejection> rejections) => new(Task.FromResult(rejections));
}

public static class ArticleIndexExtensions
{
    /// <summary>Writes the messages and waits until they are durable; returns the refused ones.</summary>
    public static async Task<IReadOnlyList<IndexRejection>> WriteAsync(this IArticleIndex index, IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken) =>
        await (await index.BeginWriteAsync(messages, cancellationToken)).Durable;
}
