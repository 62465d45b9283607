namespace Pipeline.Contracts;

/// <summary>Payload of the claim-tagging enricher (<see cref="EnricherName"/>).</summary>
public sealed record ClaimsPayload
{
    public const string EnricherName = "claims";

    public required IReadOnlyList<TaggedClaim> Claims { get; init; }

    /// <summary>Which tagger produced the claims, e.g. "offline:all-MiniLM-L6-v2+logreg", "llm:gpt-4o".</summary>
    public required string Tagger { get; init; }

    /// <summary>True when the configured tagger (the LLM) failed and these claims come from the offline fallback.</summary>
    public bool IsFallback { get; init; }

    /// <summary>Items the tagger proposed but validation dropped (span not in the text, unknown type, bad JSON item).</summary>
    public int InvalidItemsDropped { get; init; }
}
