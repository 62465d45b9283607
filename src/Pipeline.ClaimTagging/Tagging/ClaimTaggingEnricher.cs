using Pipeline.Contracts;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>The claims enricher: runs the configured <see cref="IClaimTagger"/> on every ingested article.</summary>
public sealed class ClaimTaggingEnricher(IClaimTagger tagger) : IArticleEnricher<ClaimsPayload>
{
    public static string Name => ClaimsPayload.EnricherName;

    public string Version => tagger.Version;

    public Task<ClaimsPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        tagger.TagAsync(article.Text, cancellationToken);
}
