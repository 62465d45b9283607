namespace Pipeline.Contracts;

/// <summary>A check-worthy claim found in an article; <see cref="Start"/>/<see cref="End"/> are UTF-16 offsets into the text.</summary>
public sealed record TaggedClaim
{
    public required string Text { get; init; }

    public required int Start { get; init; }

    public required int End { get; init; }

    /// <summary>One of <see cref="ClaimTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>0..1: how much the claim deserves a fact-check.</summary>
    public required double CheckWorthiness { get; init; }

    public ClaimAttribution? Attribution { get; init; }

    /// <summary>asserted, reported, alleged or hedged.</summary>
    public required string EvidenceLevel { get; init; }

    /// <summary>0..1: how sure the tagger is of this claim as a whole (span, type and attribution).</summary>
    public required double Confidence { get; init; }

    /// <summary>Which tagger, model and prompt produced the claim; null in payloads from older taggers.</summary>
    public ClaimProvenance? Provenance { get; init; }
}
