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
        _linker = new EntityLinker(load.KnowledgeBase, new LinkerSettings { MinConfidence = settings.MinConfidence }, CreateSimilarity(settings.ContextSimilarity));
    }

    public KnowledgeBaseEntityLinker(EntityLinker linker) => _linker = linker;

    public static string Name => EntitiesPayload.EnricherName;

    /// <summary>Changes with the algorithm; the KB in use is named in the payload's Linker field only through its similarity.</summary>
    public string Version => "1.0.0";

    public EntityLinker Linker => _linker;

    public static EntityLinker Create(EntityKnowledgeBase kb, double minConfidence = LinkerSettings.DefaultMinConfidence, string contextSimilarity = "lexical") =>
        new(kb, new LinkerSettings { MinConfidence = minConfidence }, CreateSimilarity(contextSimilarity));

    /// <summary>The context similarity by its option name; one embedder per process (the model is loaded once).</summary>
    public static IContextSimilarity CreateSimilarity(string name) => name switch
    {
        "minilm" => SharedEmbedding.Value,
        "lexical" => new LexicalContextSimilarity(),
        _ => throw new ArgumentException($"Unknown context similarity '{name}': use 'minilm' or 'lexical'.", nameof(name)),
    };

    static readonly Lazy<EmbeddingContextSimilarity> SharedEmbedding = new(() => new EmbeddingContextSimilarity(new Pipeline.Embeddings.MiniLmEmbedder()));

    public Task<EntitiesPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        Task.FromResult(_linker.Link(article.Text));
}
