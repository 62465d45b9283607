using System.ComponentModel.DataAnnotations;

namespace Pipeline.EntityLinking.Linking;

/// <summary>Section <c>EntityLinking</c>: where the knowledge base and the models are, and the linker's untrained settings.</summary>
public sealed class EntityLinkingOptions
{
    public const string SectionName = "EntityLinking";

    /// <summary>
    /// A KB directory (the bundled one: kb_news_entities.tsv, kb_entities.tsv, kb_extra_entities.tsv, kb_type_fixes.tsv) or
    /// one TSV file. Empty: the shared data folder next to the repository the service was built from (../shared/data/kb).
    /// </summary>
    public string KnowledgeBasePath { get; set; } = "";

    /// <summary>
    /// Several KBs, highest priority first (each a compiled <c>*.kb</c> file, a KB directory or a TSV file): their
    /// candidates merge, and an entity in several is the first one's. Set this or <see cref="KnowledgeBasePath"/>.
    /// </summary>
    public List<string> KnowledgeBasePaths { get; set; } = [];

    /// <summary>Where the binary alias index is cached; empty: the user's local application data folder.</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>A ranker weights file written by <c>pipeline train linker --output</c>; empty: the one built in.</summary>
    public string LinkerModelPath { get; set; } = "";

    /// <summary>Links below this probability are NIL; empty: the threshold trained with the model (chosen on held-out documents).</summary>
    [Range(0.0, 1.0)]
    public double? MinConfidence { get; set; }

    /// <summary>
    /// The tagger's calibrated confidence from which a name the KB does not know gets an emerging-entity id
    /// (<c>nil:</c> and a hash of its normalised name and type) instead of staying NIL; 1 turns emerging ids off.
    /// Chosen on the GUM dev documents (docs/entity-linking.md, "Emerging entities").
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinEmergingConfidence { get; set; } = DefaultMinEmergingConfidence;

    public const double DefaultMinEmergingConfidence = 0.8;

    /// <summary>Candidates of one surface form considered, most probable first.</summary>
    [Range(1, 200)]
    public int MaxCandidates { get; set; } = new LinkerSettings().MaxCandidates;

    /// <summary>First-pass probability from which a link anchors the coherence of the others.</summary>
    [Range(0.0, 1.0)]
    public double AnchorProbability { get; set; } = new LinkerSettings().AnchorProbability;

    /// <summary>First-pass probability from which a longer name lends its entity to its short forms ("Xi" after "Xi Jinping").</summary>
    [Range(0.0, 1.0)]
    public double CoreferenceSourceProbability { get; set; } = new LinkerSettings().CoreferenceSourceProbability;

    /// <summary>First-pass probability from which a person's full name makes a one-word short form of it ("Xi") a link.</summary>
    [Range(0.0, 1.0)]
    public double CoreferenceAdoptProbability { get; set; } = new LinkerSettings().CoreferenceAdoptProbability;

    public LinkerSettings Settings => new()
    {
        MinConfidence = MinConfidence,
        MaxCandidates = MaxCandidates,
        AnchorProbability = AnchorProbability,
        CoreferenceSourceProbability = CoreferenceSourceProbability,
        CoreferenceAdoptProbability = CoreferenceAdoptProbability,
    };

    /// <summary>The KBs to open in priority order: <see cref="KnowledgeBasePaths"/>, else the one <see cref="KnowledgeBasePath"/>.</summary>
    public IReadOnlyList<string> ResolvedKnowledgeBasePaths => KnowledgeBasePaths.Count > 0
        ? [.. KnowledgeBasePaths.Select(Path.GetFullPath)]
        : [ResolvedKnowledgeBasePath];

    /// <summary>Why the configured KB paths cannot be used (naming the setting and the entry), or null.</summary>
    public string? KnowledgeBasePathProblem()
    {
        if (KnowledgeBasePaths.Count == 0)
        {
            return Path.Exists(ResolvedKnowledgeBasePath)
                ? null
                : $"{SectionName}:KnowledgeBasePath ({ResolvedKnowledgeBasePath}) does not name an existing KB file or directory (empty means ../shared/data/kb next to the repository).";
        }

        if (!string.IsNullOrWhiteSpace(KnowledgeBasePath))
        {
            return $"{SectionName}:KnowledgeBasePath and {SectionName}:KnowledgeBasePaths are both set: set one (KnowledgeBasePaths lists several KBs, highest priority first).";
        }

        for (var i = 0; i < KnowledgeBasePaths.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(KnowledgeBasePaths[i]) || !Path.Exists(KnowledgeBasePaths[i]))
            {
                return $"{SectionName}:KnowledgeBasePaths:{i} ('{KnowledgeBasePaths[i]}') does not name an existing KB file or directory.";
            }
        }

        return null;
    }

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
