using System.CommandLine;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.Cli.EntityLinking;

/// <summary>The --kb and --kb-cache options the entity-linking verbs share, and the linker they build.</summary>
public static class LinkerFactory
{
    public static Option<string> KnowledgeBaseOption() => new("--kb")
    {
        Description = "Knowledge base directory or TSV file (default: ../shared/data/kb next to the repository).",
        DefaultValueFactory = _ => EntityLinkingOptions.DefaultKnowledgeBasePath(),
    };

    public static Option<string> CacheOption() => new("--kb-cache")
    {
        Description = "Directory of the binary KB index cache (default: the service's, under local application data; 'none' disables it).",
        DefaultValueFactory = _ => new EntityLinkingOptions().ResolvedCacheDirectory,
    };

    public static Option<FileInfo?> ModelOption() => new("--linker-model")
    {
        Description = "A ranker weights file written by `train linker --output` (default: the one built in).",
    };

    /// <summary>The linker over a loaded KB with the ranker from --linker-model (or the built-in one).</summary>
    public static EntityLinker Linker(EntityKnowledgeBase kb, FileInfo? model, double? minConfidence = null) =>
        KnowledgeBaseEntityLinker.Create(kb, new LinkerSettings { MinConfidence = minConfidence }, KnowledgeBaseEntityLinker.LoadModel(model?.FullName ?? ""));

    /// <summary>Opens several KBs, highest priority first (see <see cref="EntityKnowledgeBase"/>).</summary>
    public static KnowledgeBaseLoad Load(IReadOnlyList<string> paths, string cache) =>
        KnowledgeBaseLoader.Load(paths, cache == "none" ? null : cache);

    /// <summary>Loads the KB, or writes why it cannot (a missing ../shared/data, say) and returns null.</summary>
    public static KnowledgeBaseLoad? TryLoad(string path, string cache, TextWriter errors) => TryLoad([path], cache, errors);

    /// <summary>Loads several KBs, highest priority first, or writes why it cannot and returns null.</summary>
    public static KnowledgeBaseLoad? TryLoad(IReadOnlyList<string> paths, string cache, TextWriter errors)
    {
        try
        {
            return Load(paths, cache);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException)
        {
            errors.WriteLine($"error: cannot load the knowledge base: {e.Message} Pass --kb DIR (a KB directory or TSV file).");
            return null;
        }
    }
}
