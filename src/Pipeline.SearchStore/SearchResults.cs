namespace Pipeline.SearchStore;

public sealed record SearchResults(long Total, IReadOnlyList<SearchHit> Hits);
