namespace Pipeline.SearchStore;

/// <summary>The query text is not valid in the store's syntax; the search API answers 400 with <see cref="Exception.Message"/>.</summary>
public sealed class QuerySyntaxException(string message, Exception? inner = null) : Exception(message, inner);
