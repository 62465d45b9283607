using System.ComponentModel.DataAnnotations;

namespace Pipeline.ClaimTagging;

/// <summary>Which claim tagger runs, and how the LLM tagger talks to its model (section <see cref="SectionName"/>).</summary>
public sealed class ClaimTaggingOptions
{
    public const string SectionName = "ClaimTagging";

    /// <summary>auto (the LLM when ConnectionStrings:llm is set, else offline), offline, or llm.</summary>
    [Required, RegularExpression("^(auto|offline|llm)$", ErrorMessage = "ClaimTagging:Tagger must be auto, offline or llm.")]
    public string Tagger { get; set; } = "auto";

    /// <summary>One LLM request may take this long before it is abandoned (and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "ClaimTagging:LlmTimeout must be between 1 s and 10 min.")]
    public TimeSpan LlmTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per chunk (the first try included) before the article falls back to the offline tagger.</summary>
    [Range(1, 10, ErrorMessage = "ClaimTagging:LlmMaxAttempts must be between 1 and 10.")]
    public int LlmMaxAttempts { get; set; } = 3;

    /// <summary>Back-off before the first retry; doubled for each further one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "ClaimTagging:LlmRetryDelay must be between 0 and 1 min.")]
    public TimeSpan LlmRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>LLM requests in flight at once, over all articles of this process.</summary>
    [Range(1, 64, ErrorMessage = "ClaimTagging:LlmMaxConcurrency must be between 1 and 64.")]
    public int LlmMaxConcurrency { get; set; } = 2;

    /// <summary>Longer texts are sent in chunks of whole sentences of about this many characters.</summary>
    [Range(500, 100_000, ErrorMessage = "ClaimTagging:LlmChunkCharacters must be between 500 and 100000.")]
    public int LlmChunkCharacters { get; set; } = 4000;

    /// <summary>Chunk results kept in the content-hash cache.</summary>
    [Range(0, 1_000_000, ErrorMessage = "ClaimTagging:LlmCacheEntries must be between 0 and 1000000.")]
    public int LlmCacheEntries { get; set; } = 10_000;

    /// <summary>Offline tagger: scores of sentences seen before (bylines, boilerplate, syndicated copy) kept, least recently used out.</summary>
    [Range(0, 10_000_000, ErrorMessage = "ClaimTagging:SentenceCacheEntries must be between 0 and 10000000.")]
    public int SentenceCacheEntries { get; set; } = 100_000;

    /// <summary>Claims the LLM scores below this check-worthiness are left out.</summary>
    [Range(0.0, 1.0, ErrorMessage = "ClaimTagging:LlmMinCheckWorthiness must be between 0 and 1.")]
    public double LlmMinCheckWorthiness { get; set; } = 0.5;
}
