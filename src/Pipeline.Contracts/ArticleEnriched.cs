using System.Text.Json;

namespace Pipeline.Contracts;

/// <summary>
/// The one enrichment contract: every enricher (claims, entities, third-party ones) publishes this after it
/// analysed an <see cref="ArticleIngested"/>. The indexer stores <see cref="Payload"/> under the enricher's
/// own name without knowing its type, so adding an enricher needs no change anywhere else.
/// </summary>
public sealed record ArticleEnriched : IArticleMessage
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Lower-case kebab-case name; also the field namespace in the search index, e.g. "claims".</summary>
    public required string EnricherName { get; init; }

    /// <summary>Version of the enricher (model, prompt, rules). A newer version replaces an older one's payload.</summary>
    public required string EnricherVersion { get; init; }

    public required string ArticleId { get; init; }

    /// <summary>The <see cref="ArticleIngested.ContentHash"/> of the text this payload was computed from.</summary>
    public required string TextHash { get; init; }

    public required DateTimeOffset ProducedAt { get; init; }

    /// <summary>The enricher's result as JSON; typed payloads such as <see cref="ClaimsPayload"/> round-trip through it.</summary>
    public required JsonElement Payload { get; init; }

    /// <summary>The payload fields the enricher wants indexed (searchable, filterable, facetable); empty for none.</summary>
    public IReadOnlyList<EnrichmentField> Fields { get; init; } = [];
}
