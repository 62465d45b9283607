using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.EntityLinking.Linking;

/// <summary>The entity-linking enricher: the <see cref="EntityLinker"/> over the configured knowledge base and the trained models.</summary>
public sealed class KnowledgeBaseEntityLinker : IArticleEnricher<EntitiesPayload>, IDisposable
{
    readonly EntityLinker _linker;
    readonly EntityKnowledgeBase? _loaded;

    public KnowledgeBaseEntityLinker(IOptions<EntityLinkingOptions> options, ILogger<KnowledgeBaseEntityLinker> logger)
    {
        var settings = options.Value;
        var load = KnowledgeBaseLoader.Load(settings.ResolvedKnowledgeBasePaths, settings.ResolvedCacheDirectory);
        logger.LogInformation(
            "Knowledge base loaded: {Entities} entities, {Aliases} surface forms from {Sources} in {Seconds:F2} s ({Origin})",
            load.KnowledgeBase.Count, load.KnowledgeBase.AliasCount, string.Join(", ", load.Sources), load.Elapsed.TotalSeconds, load.FromCache ? "cache " + load.CachePath : "built");
        _loaded = load.KnowledgeBase;
        _linker = Create(load.KnowledgeBase, settings.Settings, LoadModel(settings.LinkerModelPath), new EmergingEntities(settings.MinEmergingConfidence));
        logger.LogInformation("Linker {Name}: link threshold {Threshold:F2}, emerging-entity threshold {Emerging:F2}", _linker.Name, _linker.Threshold, settings.MinEmergingConfidence);
    }

    public KnowledgeBaseEntityLinker(EntityLinker linker) => _linker = linker;

    public static string Name => EntitiesPayload.EnricherName;

    /// <summary>Changes with the algorithm and the trained models (2.1: emerging-entity ids).</summary>
    public string Version => "2.1.0";

    public EntityLinker Linker => _linker;


    /// <summary>The linker over a KB with the built-in (or given) ranker and the built-in tagger; emerging ids only when asked.</summary>
    public static EntityLinker Create(EntityKnowledgeBase kb, LinkerSettings? settings = null, LinkModel? model = null, EmergingEntities? emerging = null) =>
        new(kb, settings ?? new LinkerSettings(), model ?? LoadModel(""), Tagger(kb), emerging);

    /// <summary>The built-in named-entity tagger over a KB's names.</summary>
    public static IMentionTagger Tagger(EntityKnowledgeBase kb) => new ScoredNerMentionTagger(Mentions.NerTagger.LoadBuiltIn(), kb);

    /// <summary>The ranker from a file, or the one built in; a missing or foreign file stops the service with the reason.</summary>
    public static LinkModel LoadModel(string path)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            using var stream = File.OpenRead(path);
            return LinkModel.Load(stream);
        }

        return LinkModel.LoadBuiltIn() ?? throw new InvalidOperationException("No linker model is built in: run `pipeline train linker` (it writes src/Pipeline.EntityLinking/Linking/Data/linker-model.json).");
    }

    /// <summary>Unmaps the KB this enricher opened (one passed in belongs to the caller).</summary>
    public void Dispose() => _loaded?.Dispose();

    public Task<EntitiesPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        Task.FromResult(_linker.Link(article.Text));
}
