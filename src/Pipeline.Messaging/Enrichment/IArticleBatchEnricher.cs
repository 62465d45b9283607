using Pipeline.Contracts;

namespace Pipeline.Messaging.Enrichment;

/// <summary>
/// An enricher that analyses several articles at once (a model that is faster on batches, e.g. a transformer fed the
/// sentences of many articles together). The SDK consumes <see cref="ArticleIngested"/> in batches
/// (<see cref="EnrichmentBatchOptions"/>) and publishes one <see cref="ArticleEnriched"/> per article, with the same
/// retries and error queue as <see cref="IArticleEnricher{TPayload}"/>: when a batch call throws, each of its articles
/// is enriched alone and retried alone, so one bad article ends in the error queue without holding up the others.
/// </summary>
/// <typeparam name="TPayload">The JSON-serialisable result.</typeparam>
public interface IArticleBatchEnricher<TPayload>
    where TPayload : class
{
    /// <summary>Kebab-case name: the field namespace in the index and the prefix of the enricher's queue.</summary>
    static abstract string Name { get; }

    /// <summary>Changes whenever the output for the same text may change (model, prompt, rules).</summary>
    string Version { get; }

    /// <summary>Payload fields the search stores index as <c>enrichment.{Name}.{field}</c> (see <see cref="IArticleEnricher{TPayload}.Fields"/>).</summary>
    static virtual IReadOnlyList<EnrichmentField> Fields => [];

    /// <summary>One payload per article, in the order of <paramref name="articles"/>.</summary>
    Task<IReadOnlyList<TPayload>> EnrichAsync(IReadOnlyList<ArticleIngested> articles, CancellationToken cancellationToken);
}
