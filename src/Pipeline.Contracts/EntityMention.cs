namespace Pipeline.Contracts;

/// <summary>A named-entity mention; <see cref="Qid"/> is null when it is not linked (NIL).</summary>
public sealed record EntityMention
{
    public required string Text { get; init; }

    public required int Start { get; init; }

    public required int End { get; init; }

    /// <summary>PER, ORG, LOC or MISC.</summary>
    public required string Type { get; init; }

    public string? Qid { get; init; }

    public string? Label { get; init; }

    public string? Description { get; init; }

    public required double Confidence { get; init; }

    public int CandidateCount { get; init; }
}
