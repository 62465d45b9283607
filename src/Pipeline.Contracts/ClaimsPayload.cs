namespace Pipeline.Contracts;

/// <summary>Payload of the claim-tagging enricher (<see cref="EnricherName"/>).</summary>
public sealed record ClaimsPayload
{
    public const string EnricherName = "claims";

    public required IReadOnlyList<TaggedClaim> Claims { get; init; }

    /// <summary>Which tagger produced the claims, e.g. "placeholder-rules", "offline", "llm:gpt-4o".</summary>
    public required string Tagger { get; init; }
}
