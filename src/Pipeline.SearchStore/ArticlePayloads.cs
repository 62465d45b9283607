using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>Reads the built-in enrichers' payloads out of a document, for the fields every store indexes.</summary>
public static class ArticlePayloads
{
    public static IReadOnlyList<TaggedClaim> Claims(this ArticleDocument document) =>
        Payload<ClaimsPayload>(document, ClaimsPayload.EnricherName)?.Claims ?? [];

    public static IReadOnlyList<string> EntityIds(this ArticleDocument document) => document.Entities().EntityIds;

    public static IReadOnlyList<EntityMention> EntityMentions(this ArticleDocument document) => document.Entities().Mentions;

    /// <summary>The entities payload parsed once: its entity ids and its mentions (both empty without the payload).</summary>
    public static (IReadOnlyList<string> EntityIds, IReadOnlyList<EntityMention> Mentions) Entities(this ArticleDocument document) =>
        Payload<EntitiesPayload>(document, EntitiesPayload.EnricherName) is { } payload ? (payload.EntityIds ?? [], payload.Mentions ?? []) : ([], []);

    /// <summary>
    /// Whether the mention lies inside the claim's span: the claim is about the mention's entity. One rule for the
    /// claim_entity field, the entity page's claims and the exports' claim rows.
    /// </summary>
    public static bool IsWithin(this EntityMention mention, TaggedClaim claim) => mention.Start >= claim.Start && mention.End <= claim.End;

    /// <summary>A payload of a known enricher that does not have its contract's shape is refused, naming the enricher.</summary>
    static T? Payload<T>(ArticleDocument document, string enricher)
        where T : class
    {
        if (!document.Enrichments.TryGetValue(enricher, out var enrichment))
        {
            return null;
        }

        try
        {
            return enrichment.Payload.Deserialize<T>(EnrichmentPayloads.SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The '{enricher}' payload is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
