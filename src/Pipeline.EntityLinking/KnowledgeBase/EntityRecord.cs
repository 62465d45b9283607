namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>One entity as read from a KB source (a TSV row or a Wikidata dump line), before indexing.</summary>
/// <param name="Popularity">Salience in [0, 1], comparable across sources (each source scales its own measure).</param>
/// <param name="IsCountry">An instance of country or sovereign state: its names qualify other names ("United States Navy").</param>
public sealed record EntityRecord(
    string Qid,
    string Label,
    IReadOnlyList<string> Aliases,
    string Description,
    string? EnwikiTitle,
    EntityType Type,
    float Popularity,
    bool IsCountry = false);
