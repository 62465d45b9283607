namespace Pipeline.Contracts;

/// <summary>Payload of the entity-linking enricher (<see cref="EnricherName"/>).</summary>
public sealed record EntitiesPayload
{
    public const string EnricherName = "entities";

    public required IReadOnlyList<EntityMention> Mentions { get; init; }

    /// <summary>The distinct entity ids of the article (Wikidata QIDs and emerging <c>nil:</c> ids), for filters and facets.</summary>
    public required IReadOnlyList<string> EntityIds { get; init; }

    public required string Linker { get; init; }
}
