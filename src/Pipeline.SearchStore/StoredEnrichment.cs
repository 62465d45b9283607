using System.Text.Json;

namespace Pipeline.SearchStore;

/// <summary>One enricher's latest result for an article, as stored in the index.</summary>
public sealed record StoredEnrichment(
    string EnricherVersion,
    string TextHash,
    DateTimeOffset ProducedAt,
    JsonElement Payload,
    IReadOnlyList<Contracts.EnrichmentField>? Fields = null);
