using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.EntityLinking.Linking;

/// <summary>The entity-linking enricher: the <see cref="EntityLinker"/> over the configured knowledge base.</summary>
public sealed class KnowledgeBaseEntityLinker : IArticleEnricher<EntitiesPayload>
{
    readonly EntityLinker _linker;

    public KnowledgeBaseEntityLinker(IOptions<EntityLinkingOptions> options, ILogger<KnowledgeBaseEntityLinker> logger)
    {
        var settings = options.Value;
        var load = KnowledgeBaseLoader.Load(settings.ResolvedKnowledgeBasePath, settings.ResolvedCacheDirectory);
        logger.LogInformation(
            "Knowledge base loaded: {Entities} entities, {Aliases} surface forms from {Sources} in {Seconds:F2} s ({Origin})",
            load.KnowledgeBase.Count, load.KnowledgeBase.AliasCount, string.Join(", ", load.Sources), load.Elapsed.TotalSeconds, load.FromCache ? "cache " + load.CachePath : "built");
        _linker = Create(load.KnowledgeBase, settings.MinConfidence);
    }

    public KnowledgeBaseEntityLinker(EntityLinker linker) => _linker = linker;

    public static string Name => EntitiesPayload.EnricherName;

    /// <summary>Changes with the algorithm; the KB in use is named in the payload's Linker field only through its similarity.</summary>
    public string Version => "1.0.0";

    public EntityLinker Linker => _linker;

    public static EntityLinker Create(EntityKnowledgeBase kb, double minConfidence = LinkerSettings.DefaultMinConfidence) =>
        new(kb, new LinkerSettings { MinConfidence = minConfidence }, new LexicalContextSimilarity());

    public Task<EntitiesPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        Task.FromResult(_linker.Link(article.Text));
}
