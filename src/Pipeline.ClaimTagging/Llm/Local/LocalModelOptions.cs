using System.ComponentModel.DataAnnotations;

namespace Pipeline.ClaimTagging.Llm.Local;

/// <summary>
/// How a local GGUF model runs in-process (<c>ConnectionStrings:llm</c> = <c>Provider=Local;Model=/path/model.gguf</c>);
/// section <c>ClaimTagging:LocalModel</c>. The request timeout, retries and concurrency are the LLM tagger's own
/// (<c>ClaimTagging:LlmTimeout</c>, <c>LlmMaxAttempts</c>, <c>LlmMaxConcurrency</c>).
/// </summary>
public sealed class LocalModelOptions
{
    public const string SectionName = "ClaimTagging:LocalModel";

    /// <summary>Tokens of prompt and answer together (the prompt, one chunk of the article and the claim list must fit).</summary>
    [Range(512, 131_072, ErrorMessage = "ClaimTagging:LocalModel:ContextSize must be between 512 and 131072.")]
    public uint ContextSize { get; set; } = 4096;

    /// <summary>CPU threads for generation and prompt processing; 0 = one per core.</summary>
    [Range(0, 256, ErrorMessage = "ClaimTagging:LocalModel:Threads must be between 0 (one per core) and 256.")]
    public int Threads { get; set; }

    /// <summary>Most tokens the model may generate for one chunk.</summary>
    [Range(16, 32_768, ErrorMessage = "ClaimTagging:LocalModel:MaxTokens must be between 16 and 32768.")]
    public int MaxTokens { get; set; } = 2048;

    /// <summary>Most claims the grammar lets the model list for one chunk.</summary>
    [Range(1, 200, ErrorMessage = "ClaimTagging:LocalModel:MaxClaims must be between 1 and 200.")]
    public int MaxClaims { get; set; } = 24;

    /// <summary>Longest claim text the grammar lets the model write.</summary>
    [Range(20, 5_000, ErrorMessage = "ClaimTagging:LocalModel:MaxClaimCharacters must be between 20 and 5000.")]
    public int MaxClaimCharacters { get; set; } = 600;

    /// <summary>
    /// Constrain generation to the claim list's JSON schema (a GBNF grammar generated from it), so the answer always
    /// parses. Off only to see what a model does unconstrained.
    /// </summary>
    public bool Grammar { get; set; } = true;

    /// <summary>The threads llama.cpp gets.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
