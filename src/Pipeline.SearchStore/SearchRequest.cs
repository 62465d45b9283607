namespace Pipeline.SearchStore;

/// <summary>A query: free text in the store's query syntax (empty for all articles) and paging.</summary>
public sealed record SearchRequest(string? Query, int Size = 10, int From = 0);
