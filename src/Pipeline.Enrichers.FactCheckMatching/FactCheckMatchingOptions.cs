using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Pipeline.Enrichers.FactCheckMatching;

/// <summary>Section <c>FactCheckMatching</c>: the fact-check catalogue and how close a sentence must be to match.</summary>
public sealed class FactCheckMatchingOptions
{
    public const string SectionName = "FactCheckMatching";

    /// <summary>A JSON Lines file of fact-checked claims (vclaim_id, vclaim, title, subtitle, date); empty: ../shared/data/factchecks/snopes-vclaims.jsonl.</summary>
    public string FactChecksPath { get; set; } = "";

    /// <summary>Least cosine similarity (TF-IDF) between a sentence and a fact-checked claim for a match; see docs/enrichers.md for how it was chosen.</summary>
    [Range(0.05, 1.0)]
    public double MinScore { get; set; } = 0.5;

    /// <summary>Most matches reported per article (the best ones).</summary>
    [Range(1, 100)]
    public int MaxMatches { get; set; } = 5;

    public string ResolvedFactChecksPath => string.IsNullOrWhiteSpace(FactChecksPath) ? DefaultPath() : Path.GetFullPath(FactChecksPath);

    static string DefaultPath()
    {
        var root = typeof(FactCheckMatchingOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "PipelineRepositoryRoot")?.Value;
        return Path.GetFullPath(Path.Combine(root ?? AppContext.BaseDirectory, "..", "shared", "data", "factchecks", "snopes-vclaims.jsonl"));
    }
}
