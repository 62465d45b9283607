namespace Pipeline.Enrichers.FactCheckMatching.Matching;

/// <summary>An article sentence that repeats a fact-checked claim, and how close it is (cosine similarity, 0-1).</summary>
public sealed record FactCheckMatch
{
    public required string FactCheckId { get; init; }

    public required string Claim { get; init; }

    public required string Title { get; init; }

    public string? Date { get; init; }

    public required string Sentence { get; init; }

    public required double Score { get; init; }
}
