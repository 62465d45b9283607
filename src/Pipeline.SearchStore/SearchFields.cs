namespace Pipeline.SearchStore;

/// <summary>How a field can be filtered and faceted: exact values, a number compared with a threshold, or a date.</summary>
public enum SearchFieldKind
{
    Keyword,
    Number,
    Date,
}

/// <summary>A field of the query model: its name in requests and its kind. Both stores index it under <see cref="Name"/>.</summary>
public sealed record SearchField(string Name, SearchFieldKind Kind, string Description);

/// <summary>
/// The fields every store indexes for filters and facets. Requests name fields by <see cref="SearchField.Name"/>; a field
/// declared later by an enricher (say <c>enrichment.sentiment.label</c>) joins this catalogue with a kind and is
/// filtered and faceted by the same code paths.
/// </summary>
public static class SearchFields
{
    public static readonly SearchField Entity = new("entity", SearchFieldKind.Keyword, "Wikidata QIDs linked in the article");
    public static readonly SearchField ClaimEntity = new("claim_entity", SearchFieldKind.Keyword, "entities mentioned inside one of the article's claims");
    public static readonly SearchField EntityType = new("entity_type", SearchFieldKind.Keyword, "types of the linked entities (PER, ORG, LOC, MISC)");
    public static readonly SearchField ClaimType = new("claim_type", SearchFieldKind.Keyword, "types of the article's claims");
    public static readonly SearchField Worthiness = new("worthiness", SearchFieldKind.Number, "the highest check-worthiness of the article's claims (0..1)");
    public static readonly SearchField Attribution = new("attribution", SearchFieldKind.Keyword, "attribution kinds of the article's claims");
    public static readonly SearchField Outlet = new("outlet", SearchFieldKind.Keyword, "the outlet (source) of the article");
    public static readonly SearchField Language = new("language", SearchFieldKind.Keyword, "ISO 639-1 language code");
    public static readonly SearchField Published = new("published", SearchFieldKind.Date, "publication time");
    public static readonly SearchField Status = new("status", SearchFieldKind.Keyword, "analysis status: complete, partial or pending");
    public static readonly SearchField Enricher = new("enricher", SearchFieldKind.Keyword, "enrichers that have a payload for the article");

    /// <summary>Not filterable: a number stored per article only to be summed by a date histogram (<see cref="FacetRequest.Sum"/>).</summary>
    public static readonly SearchField WorthyClaims = new("worthy_claims", SearchFieldKind.Number, "the number of the article's claims at least 0.5 check-worthy");

    /// <summary>
    /// When the store last wrote the article's document (the article or any later enrichment), by the store's clock.
    /// Filterable only (watches find what became searchable since they last looked); not a facet.
    /// </summary>
    public static readonly SearchField Indexed = new("indexed", SearchFieldKind.Date, "when the store last wrote the article");

    public static IReadOnlyList<SearchField> All { get; } =
        [Entity, ClaimEntity, EntityType, ClaimType, Worthiness, Attribution, Outlet, Language, Published, Status, Enricher, Indexed];

    static readonly Dictionary<string, SearchField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static SearchField? Find(string name) => ByName.GetValueOrDefault(name);
}
