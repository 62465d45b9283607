namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>The cluster did not answer, answered 5xx, or stayed overloaded: a store outage, so the whole write is retried later.</summary>
public sealed class ElasticsearchUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
