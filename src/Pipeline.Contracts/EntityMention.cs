namespace Pipeline.Contracts;

/// <summary>
/// A named-entity mention; <see cref="Qid"/> is a Wikidata QID, an emerging entity's corpus id (<c>nil:</c>..., see
/// <see cref="EntityIds"/>), or null when the mention is not linked (NIL).
/// </summary>
public sealed record EntityMention
{
    public required string Text { get; init; }

    public required int Start { get; init; }

    public required int End { get; init; }

    /// <summary>PER, ORG, LOC or MISC.</summary>
    public required string Type { get; init; }

    public string? Qid { get; init; }

    /// <summary>
    /// True for a Wikidata QID, false for an emerging entity's <c>nil:</c> id, null for an unlinked mention and in
    /// payloads written before emerging entities (read them with <see cref="EntityIds.InKnowledgeBase"/>).
    /// </summary>
    public bool? InKb { get; init; }

    public string? Label { get; init; }

    public string? Description { get; init; }

    public required double Confidence { get; init; }

    public int CandidateCount { get; init; }
}
