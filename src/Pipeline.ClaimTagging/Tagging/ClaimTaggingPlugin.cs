using System.ComponentModel;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>
/// The claim tagger as a Semantic Kernel plugin, so an agent or a prompt can call it
/// (<c>kernel.Plugins.AddFromObject(new ClaimTaggingPlugin(tagger), "claims")</c>).
/// </summary>
public sealed class ClaimTaggingPlugin(IClaimTagger tagger)
{
    [KernelFunction("tag_claims")]
    [Description("Finds the check-worthy factual claims in a news text, with their exact spans, type, attribution and evidence level, as JSON.")]
    public async Task<string> TagClaimsAsync(
        [Description("The text to analyse.")] string text,
        CancellationToken cancellationToken = default)
    {
        var payload = await tagger.TagAsync(text, cancellationToken);
        return JsonSerializer.Serialize(payload, EnrichmentPayloads.SerializerOptions);
    }
}
