namespace Pipeline.Messaging;

/// <summary>
/// The names of the pipeline's queues, in one place: the services declare them, the operations (re-run, rebuild,
/// replay), the AppHost's dashboard commands and the queue-depth monitor read and write them.
/// </summary>
public static class QueueNames
{
    /// <summary>The indexer's queue: every <c>ArticleIngested</c> and <c>ArticleEnriched</c>.</summary>
    public const string Indexing = "indexing";

    /// <summary>Where the indexer parks <c>IndexingRejected</c> for messages the store refused (not MassTransit's <c>_error</c>).</summary>
    public const string IndexingDeadLetter = "indexing-dead-letter";

    /// <summary>MassTransit's suffix of the queue that keeps the messages a consumer failed on.</summary>
    public const string ErrorSuffix = "_error";

    /// <summary>An enricher's own queue, bound to <c>ArticleIngested</c>: <c>{name}-enricher</c>.</summary>
    public static string Enricher(string enricherName) => enricherName + "-enricher";

    /// <summary>The error queue of a consumer's queue: <c>{queue}_error</c>.</summary>
    public static string ErrorQueueOf(string queue) => queue + ErrorSuffix;

    /// <summary>Queues whose messages wait for an operator: every <c>_error</c> queue and the indexing dead-letter queue.</summary>
    public static bool IsParking(string queue) =>
        queue.EndsWith(ErrorSuffix, StringComparison.Ordinal) || queue == IndexingDeadLetter;
}
