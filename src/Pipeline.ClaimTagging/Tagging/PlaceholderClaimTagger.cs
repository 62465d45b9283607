using System.Text.RegularExpressions;
using Pipeline.Contracts;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>
/// PLACEHOLDER claim tagger: keyword rules over sentences, so that the pipeline carries real claim payloads end to
/// end. It is not a trained or language-model tagger and its scores are not calibrated; the offline classifier
/// and the Semantic Kernel tagger replace it.
/// </summary>
public sealed partial class PlaceholderClaimTagger : IArticleEnricher<ClaimsPayload>
{
    public static string Name => ClaimsPayload.EnricherName;

    public string Version => "0.1.0-placeholder";

    public Task<ClaimsPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        Task.FromResult(Tag(article.Text));

    public static ClaimsPayload Tag(string text)
    {
        var claims = new List<TaggedClaim>();
        foreach (var (start, end) in Sentences.Split(text))
        {
            var sentence = text[start..end];
            var type = TypeOf(sentence);
            if (type is null)
            {
                continue;
            }

            var attribution = AttributionOf(sentence);
            claims.Add(new TaggedClaim
            {
                Text = sentence,
                Start = start,
                End = end,
                Type = type,
                CheckWorthiness = attribution is null ? 0.5 : 0.6,
                Attribution = attribution,
                EvidenceLevel = Hedged().IsMatch(sentence) ? "hedged" : attribution is null ? "asserted" : "reported",
                Confidence = 0.3,
            });
        }

        return new ClaimsPayload { Claims = claims, Tagger = "placeholder-rules" };
    }

    static string? TypeOf(string sentence) =>
        Promise().IsMatch(sentence) ? ClaimTypes.PromiseOrPolicy
        : Accusation().IsMatch(sentence) ? ClaimTypes.Accusation
        : Causal().IsMatch(sentence) ? ClaimTypes.Causal
        : Number().IsMatch(sentence) ? ClaimTypes.Quantitative
        : Reported().IsMatch(sentence) ? ClaimTypes.EventOrAction
        : null;

    static ClaimAttribution? AttributionOf(string sentence)
    {
        if (Anonymous().Match(sentence) is { Success: true } anonymous)
        {
            return new(anonymous.Value, "anonymous");
        }

        if (AccordingTo().Match(sentence) is { Success: true } according)
        {
            return new(according.Groups["source"].Value, "document");
        }

        return Reported().Match(sentence) is { Success: true } reported ? new(reported.Groups["source"].Value, "named-person") : null;
    }

    [GeneratedRegex(@"\b(promis\w*|pledg\w*|vow\w*|assur\w*|would not|will not|won't)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Promise();

    [GeneratedRegex(@"\b(accus\w*|alleg\w*|interfer\w*|meddl\w*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Accusation();

    [GeneratedRegex(@"\b(because|caused|led to|due to|result(ed)? in)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Causal();

    [GeneratedRegex(@"\d")]
    private static partial Regex Number();

    [GeneratedRegex(@"(?<source>\b[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)\s+(said|told|reported|stated)\b")]
    private static partial Regex Reported();

    [GeneratedRegex(@"according to (?<source>[^,.;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex AccordingTo();

    [GeneratedRegex(@"\b(\w+\s+)?(people|sources|officials)\s+(with|familiar|close)[^,.;]*", RegexOptions.IgnoreCase)]
    private static partial Regex Anonymous();

    [GeneratedRegex(@"\b(may|might|could|reportedly|possibly|allegedly)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Hedged();
}
