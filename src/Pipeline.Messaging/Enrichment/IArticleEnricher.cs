using Pipeline.Contracts;

namespace Pipeline.Messaging.Enrichment;

/// <summary>
/// An enricher: analyses an article and returns a payload. The SDK does the rest (consuming
/// <see cref="ArticleIngested"/>, publishing <see cref="ArticleEnriched"/>, retries, the error queue).
/// </summary>
/// <typeparam name="TPayload">The JSON-serialisable result.</typeparam>
public interface IArticleEnricher<TPayload>
    where TPayload : class
{
    /// <summary>Kebab-case name: the field namespace in the index and the prefix of the enricher's queue.</summary>
    static abstract string Name { get; }

    /// <summary>Changes whenever the output for the same text may change (model, prompt, rules).</summary>
    string Version { get; }

    /// <summary>
    /// Payload fields the search stores index as <c>enrichment.{Name}.{field}</c> (searchable, filterable, facetable).
    /// Without them the payload is still stored and returned with the article, just not queryable by field.
    /// </summary>
    static virtual IReadOnlyList<EnrichmentField> Fields => [];

    Task<TPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken);
}
