using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Pipeline.ClaimTagging.Llm;

/// <summary>The JSON the model must answer with; its schema is sent as the response format (structured output).</summary>
public sealed record LlmClaimList(
    [property: JsonPropertyName("claims")] IReadOnlyList<LlmClaim> Claims);

/// <summary>One claim as the model returns it; validated against the text before it becomes a TaggedClaim.</summary>
public sealed record LlmClaim(
    [property: JsonPropertyName("text"), Description("The claim, copied exactly from the input text.")] string Text,
    [property: JsonPropertyName("type"), Description("quantitative, causal, event, intent, prediction, promise or accusation")] string Type,
    [property: JsonPropertyName("checkWorthiness"), Description("0 to 1")] double CheckWorthiness,
    [property: JsonPropertyName("attributionSource"), Description("The source as written, or 'the author'.")] string AttributionSource,
    [property: JsonPropertyName("attributionKind"), Description("named-person, organisation, anonymous, document or author")] string AttributionKind,
    [property: JsonPropertyName("evidenceLevel"), Description("asserted, reported, alleged or hedged")] string EvidenceLevel,
    [property: JsonPropertyName("confidence"), Description("0 to 1")] double Confidence);
