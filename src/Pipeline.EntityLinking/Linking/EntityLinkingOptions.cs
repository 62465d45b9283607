using System.ComponentModel.DataAnnotations;

namespace Pipeline.EntityLinking.Linking;

/// <summary>Section <c>EntityLinking</c>: where the knowledge base is, where its binary index is cached, and the link threshold.</summary>
public sealed class EntityLinkingOptions
{
    public const string SectionName = "EntityLinking";

    /// <summary>
    /// A KB directory (the bundled one: kb_news_entities.tsv, kb_entities.tsv, kb_extra_entities.tsv, kb_type_fixes.tsv) or one TSV file.
    /// Empty: the shared data folder next to the repository the service was built from (../shared/data/kb).
    /// </summary>
    public string KnowledgeBasePath { get; set; } = "";

    /// <summary>Where the binary alias index is cached; empty: the user's local application data folder.</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>Links below this confidence are reported as NIL: a wrong link is worse than none.</summary>
    [Range(0.0, 1.0)]
    public double MinConfidence { get; set; } = LinkerSettings.DefaultMinConfidence;

    public const string DefaultContextSimilarity = "lexical";

    /// <summary>
    /// How a mention's context is compared with a candidate's label and description: <c>lexical</c> (word overlap, the
    /// default) or <c>minilm</c> (sentence embeddings with all-MiniLM-L6-v2 averaged with the word overlap; ~200 MB more
    /// memory and about 100 times slower for no measurable gain on the benchmarks, see docs/entity-linking.md).
    /// </summary>
    [RegularExpression("^(minilm|lexical)$", ErrorMessage = "EntityLinking:ContextSimilarity must be 'minilm' or 'lexical'.")]
    public string ContextSimilarity { get; set; } = DefaultContextSimilarity;

    public string ResolvedKnowledgeBasePath => string.IsNullOrWhiteSpace(KnowledgeBasePath) ? DefaultKnowledgeBasePath() : Path.GetFullPath(KnowledgeBasePath);

    public string ResolvedCacheDirectory => string.IsNullOrWhiteSpace(CacheDirectory)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local ? local : Path.GetTempPath(), "pipeline", "kb-cache")
        : Path.GetFullPath(CacheDirectory);

    /// <summary>The repository root is stamped into the assembly at build time (see the csproj); the shared data sits next to it.</summary>
    public static string DefaultKnowledgeBasePath()
    {
        var root = typeof(EntityLinkingOptions).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "PipelineRepositoryRoot")?.Value;
        return Path.GetFullPath(Path.Combine(root ?? AppContext.BaseDirectory, "..", "shared", "data", "kb"));
    }
}
