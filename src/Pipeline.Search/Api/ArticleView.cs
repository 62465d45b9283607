using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Search.Api;

/// <summary>An indexed article with every enricher's latest payload, keyed by enricher name.</summary>
public sealed record ArticleView(ArticleIngested Article, IReadOnlyDictionary<string, EnrichmentView> Enrichments);

public sealed record EnrichmentView(string Version, bool Current, DateTimeOffset ProducedAt, JsonElement Payload);
