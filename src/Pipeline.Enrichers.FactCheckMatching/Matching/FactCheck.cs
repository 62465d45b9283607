namespace Pipeline.Enrichers.FactCheckMatching.Matching;

/// <summary>One previously fact-checked claim from the catalogue (e.g. a Snopes "vclaim").</summary>
public sealed record FactCheck(string Id, string Claim, string Title, string? Date);
