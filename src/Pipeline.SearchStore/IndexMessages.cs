using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>What every store needs to know of the messages it is given.</summary>
public static class IndexMessages
{
    /// <summary>The article a message belongs to ("" when the message has none, which the stores refuse).</summary>
    public static string ArticleIdOf(object message) => message switch
    {
        ArticleIngested a => a.ArticleId ?? "",
        ArticleEnriched e => e.ArticleId ?? "",
        _ => throw new InvalidOperationException($"Cannot index a {message.GetType().Name}."),
    };
}
