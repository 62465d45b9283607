using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;
using Pipeline.Testing;

namespace Pipeline.EntityLinking.Tests;

/// <summary>The bundled KB (../shared/data/kb), loaded once per test run through the same binary cache the service uses.</summary>
public static class SharedKnowledgeBase
{
    static readonly Lazy<EntityKnowledgeBase> Loaded = new(() =>
        KnowledgeBaseLoader.Load(Path.Combine(RepositoryPaths.SharedData, "kb"), new EntityLinkingOptions().ResolvedCacheDirectory).KnowledgeBase);

    /// <summary>The KB, or a skipped test when the shared data folder is absent.</summary>
    public static EntityKnowledgeBase Require()
    {
        RepositoryPaths.RequireSharedFile("kb/kb_entities.tsv");
        RepositoryPaths.RequireSharedFile("kb/kb_news_entities.tsv");
        return Loaded.Value;
    }

    public static EntityLinker Linker() => KnowledgeBaseEntityLinker.Create(Require());
}
