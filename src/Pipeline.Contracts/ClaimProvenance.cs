namespace Pipeline.Contracts;

/// <summary>What produced a claim: the tagger ("offline", "llm"), the model, and the prompt version (LLM taggers only).</summary>
public sealed record ClaimProvenance(string Tagger, string ModelId, string? PromptVersion = null);
