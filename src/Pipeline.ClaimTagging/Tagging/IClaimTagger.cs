using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>Finds the check-worthy claims of one text. Two implementations: the offline model and the LLM.</summary>
public interface IClaimTagger
{
    /// <summary>Changes whenever the output for the same text may change (model, prompt, rules).</summary>
    string Version { get; }

    Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken);

    /// <summary>
    /// Tags several texts, one payload per text in order. A tagger that is faster on batches (the offline one: the
    /// sentences of all texts share the transformer's batches) overrides it; by default each text is tagged alone.
    /// </summary>
    async Task<IReadOnlyList<ClaimsPayload>> TagManyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        await Task.WhenAll(texts.Select(text => TagAsync(text, cancellationToken)));
}
