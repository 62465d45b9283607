namespace Pipeline.SearchStore;

/// <summary>A request the store cannot run; <see cref="Parameter"/> names the request parameter at fault (the API answers 400).</summary>
public class InvalidSearchRequestException(string parameter, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Parameter { get; } = parameter;
}

/// <summary>The query text is not valid in the store's syntax; the search API answers 400 naming <c>q</c>.</summary>
public sealed class QuerySyntaxException(string message, Exception? inner = null) : InvalidSearchRequestException("q", message, inner);
