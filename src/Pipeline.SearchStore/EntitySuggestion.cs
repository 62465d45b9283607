namespace Pipeline.SearchStore;

/// <summary>An entity whose label starts (at a word) with the typed prefix, and how many articles mention it.</summary>
public sealed record EntitySuggestion(string Qid, string Label, long Articles);
