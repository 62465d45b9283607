using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// An entity over time: how many articles mention it (with check-worthy claims, when a minimum worthiness is given),
/// per date bucket; the latest such articles; and their claims that mention the entity (a mention of the QID inside the
/// claim's span).
/// </summary>
public sealed record EntityPage(
    string Qid,
    string? Label,
    string WikidataUrl,
    double? MinWorthiness,
    long Articles,
    IReadOnlyList<FacetBucket> Timeline,
    IReadOnlyList<FacetBucket> ClaimTypes,
    IReadOnlyList<SearchHit> Latest,
    IReadOnlyList<EntityClaim> Claims);

/// <summary>A claim that mentions the entity, with its article.</summary>
public sealed record EntityClaim(string ArticleId, string ArticleTitle, DateTimeOffset? PublishedAt, TaggedClaim Claim);
