using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// An entity over time: how many articles mention it (with check-worthy claims, when a minimum worthiness is given),
/// per date bucket; the latest such articles; and their claims that mention the entity (a mention of the QID inside the
/// claim's span), and the entities it appears with. <see cref="InKb"/> is false for an emerging entity (a <c>nil:</c> id): it has no Wikidata page.
/// </summary>
public sealed record EntityPage(
    string Qid,
    string? Label,
    bool InKb,
    string? WikidataUrl,
    double? MinWorthiness,
    long Articles,
    IReadOnlyList<FacetBucket> Timeline,
    IReadOnlyList<FacetBucket> ClaimTypes,
    IReadOnlyList<SearchHit> Latest,
    IReadOnlyList<EntityClaim> Claims)
{
    /// <summary>The entities most often mentioned in the same articles (as many articles as the worthiness filter keeps), most first.</summary>
    public IReadOnlyList<FacetBucket> Related { get; init; } = [];
}

/// <summary>A claim that mentions the entity, with its article.</summary>
public sealed record EntityClaim(string ArticleId, string ArticleTitle, DateTimeOffset? PublishedAt, TaggedClaim Claim);
