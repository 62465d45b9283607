using Pipeline.Contracts;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>
/// The claims enricher: runs the configured <see cref="IClaimTagger"/> on batches of ingested articles (the offline
/// tagger embeds the sentences of a whole batch together, which is what makes the transformer fast).
/// </summary>
public sealed class ClaimTaggingEnricher(IClaimTagger tagger) : IArticleBatchEnricher<ClaimsPayload>
{
    public static string Name => ClaimsPayload.EnricherName;

    public string Version => tagger.Version;

    public Task<IReadOnlyList<ClaimsPayload>> EnrichAsync(IReadOnlyList<ArticleIngested> articles, CancellationToken cancellationToken) =>
        tagger.TagManyAsync([.. articles.Select(a => a.Text)], cancellationToken);
}
