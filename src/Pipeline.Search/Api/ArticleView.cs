using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Search.Api;

/// <summary>
/// An indexed article: its text, its claims and entity mentions (UTF-16 offsets into the text), and every enricher's
/// latest payload, keyed by enricher name.
/// </summary>
public sealed record ArticleView(
    ArticleIngested Article,
    IReadOnlyList<TaggedClaim> Claims,
    IReadOnlyList<EntityMention> Entities,
    IReadOnlyDictionary<string, EnrichmentView> Enrichments);

public sealed record EnrichmentView(string Version, bool Current, DateTimeOffset ProducedAt, JsonElement Payload);
