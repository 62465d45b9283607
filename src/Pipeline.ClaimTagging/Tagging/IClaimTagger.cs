using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>Finds the check-worthy claims of one text. Two implementations: the offline model and the LLM.</summary>
public interface IClaimTagger
{
    /// <summary>Changes whenever the output for the same text may change (model, prompt, rules).</summary>
    string Version { get; }

    Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken);
}
