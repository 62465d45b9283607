namespace Pipeline.Enrichers.FactCheckMatching.Matching;

/// <summary>The enricher's payload: <c>matched</c> or <c>none</c>, and the matches, best first.</summary>
public sealed record FactCheckMatches
{
    public required string Status { get; init; }

    public required IReadOnlyList<FactCheckMatch> Matches { get; init; }
}
