namespace Pipeline.Contracts;

/// <summary>
/// Every message about one article: <see cref="ArticleIngested"/> and <see cref="ArticleEnriched"/>. MassTransit
/// publishes each message under this type as well, so the indexer consumes this one type from one queue and gets an
/// article and its enrichments in one batch, in the order they were published.
/// </summary>
public interface IArticleMessage
{
    /// <summary>Deterministic id, see <see cref="ArticleIdentity.ArticleId"/>.</summary>
    string ArticleId { get; }
}
