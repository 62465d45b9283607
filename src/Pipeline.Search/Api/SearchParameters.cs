using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// The query string of <c>GET /search</c>, bound by name; <see cref="ToRequest"/> turns it into the store's query model.
/// Numbers and flags are bound as text and parsed here, so that a value such as <c>size=ten</c> is a 400 naming the
/// parameter, as every other invalid value is, instead of a binding failure (a 500 behind the exception handler).
/// </summary>
public sealed record SearchParameters
{
    /// <summary>Full text in the Lucene query syntax: terms, "phrases", AND/OR/NOT, field:value. Empty: every article.</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Hits per page, 1..100 (default 10).</summary>
    [FromQuery(Name = "size")]
    public string? Size { get; init; }

    /// <summary>Offset of the page (from + size at most 10,000; deeper with cursor).</summary>
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    /// <summary>nextCursor of the previous page (search_after paging; not combined with from).</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    /// <summary>relevance (default), newest or oldest.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    /// <summary>Entity ids (Wikidata QIDs or emerging <c>nil:</c> ids); the article must mention every one.</summary>
    [FromQuery(Name = "entity")]
    public string[]? Entity { get; init; }

    /// <summary>Entity ids (QIDs or <c>nil:</c> ids) mentioned inside a claim of the article (the claim is about it); every one.</summary>
    [FromQuery(Name = "claim_entity")]
    public string[]? ClaimEntity { get; init; }

    /// <summary>Entity types (PER, ORG, LOC, MISC); any of them.</summary>
    [FromQuery(Name = "entity_type")]
    public string[]? EntityType { get; init; }

    /// <summary>Claim types; the article has a claim of any of them.</summary>
    [FromQuery(Name = "claim_type")]
    public string[]? ClaimType { get; init; }

    /// <summary>Minimum check-worthiness (0..1): the article has a claim at least this check-worthy. Also accepted as worthiness&gt;=x.</summary>
    [FromQuery(Name = "worthiness")]
    public string? Worthiness { get; init; }

    /// <summary>Attribution kinds (named-person, organisation, anonymous, document, author); any of them.</summary>
    [FromQuery(Name = "attribution")]
    public string[]? Attribution { get; init; }

    /// <summary>Outlets; any of them.</summary>
    [FromQuery(Name = "outlet")]
    public string[]? Outlet { get; init; }

    /// <summary>Language codes; any of them.</summary>
    [FromQuery(Name = "language")]
    public string[]? Language { get; init; }

    /// <summary>Analysis status: complete, partial or pending; any of them.</summary>
    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    /// <summary>Published at or after this date or time (ISO 8601).</summary>
    [FromQuery(Name = "published_from")]
    public string? PublishedFrom { get; init; }

    /// <summary>Published before this date or time (ISO 8601).</summary>
    [FromQuery(Name = "published_to")]
    public string? PublishedTo { get; init; }

    /// <summary>Facets to count: entity, entity_type, claim_type, attribution, outlet, language, status, enricher, published, or an enricher-declared facetable field enrichment.{enricher}.{field}.</summary>
    [FromQuery(Name = "facet")]
    public string[]? Facet { get; init; }

    /// <summary>Values per keyword facet (default 10).</summary>
    [FromQuery(Name = "facet_size")]
    public string? FacetSize { get; init; }

    /// <summary>Bucket width of the published histogram: day, month (default) or year.</summary>
    [FromQuery(Name = "interval")]
    public string? Interval { get; init; }

    /// <summary>Mark the query's terms in titles and fragments (default true).</summary>
    [FromQuery(Name = "highlight")]
    public string? Highlight { get; init; }

    public const int MaxSize = 100;

    public const int MaxWindow = SearchRequestValidation.MaxWindow;

    /// <summary>Most values of one filter parameter (comma-separated or repeated), and most facets of one request.</summary>
    public const int MaxValues = 100;

    public const int MaxFacets = 20;

    /// <summary>
    /// The store's request from these parameters and the rest of the query string: <c>worthiness&gt;=x</c> (which a URL
    /// delivers as the key <c>worthiness&gt;</c>) and enricher-declared filters <c>enrichment.{enricher}.{field}=value</c>.
    /// Every endpoint that runs a search (list, charts, exports, watches) builds its request here.
    /// </summary>
    public SearchRequest ToRequest(HttpRequest http) => ToRequest(http.Query);

    SearchRequest ToRequest(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query)
    {
        double? fromOperator = null;
        if (query.FirstOrDefault(p => p.Key == "worthiness>") is { Key: not null, Value: var raw })
        {
            fromOperator = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidSearchRequestException("worthiness", $"worthiness must be a number between 0 and 1, got '{raw}'.");
        }

        var enrichmentFilters = query
            .Where(p => EnrichmentSearchField.Claims(p.Key))
            .Select(p => KeyValuePair.Create(p.Key, p.Value.Select(v => v ?? "").ToArray()));
        return ToRequest(fromOperator, enrichmentFilters);
    }

    /// <summary>
    /// The store's request, or the name of the first invalid parameter and why. <paramref name="enrichmentFilters"/> are
    /// the query string's <c>enrichment.{enricher}.{field}=value[,value]</c> parameters (any of the values).
    /// </summary>
    public SearchRequest ToRequest(double? worthinessFromOperator, IEnumerable<KeyValuePair<string, string[]>>? enrichmentFilters = null)
    {
        var size = Integer("size", Size) ?? 10;
        var from = Integer("from", From) ?? 0;
        if (size is < 1 or > MaxSize)
        {
            throw new InvalidSearchRequestException("size", $"size must be between 1 and {MaxSize}.");
        }

        // Compared without adding: from = 2147483647 must not overflow into a small window.
        if (from < 0 || from > MaxWindow - size)
        {
            throw new InvalidSearchRequestException("from", $"from must be at least 0 and from + size at most {MaxWindow}; use cursor for deeper pages.");
        }

        var filters = new List<SearchFilter>();
        foreach (var (field, ids) in new[] { (SearchFields.Entity, Entity), (SearchFields.ClaimEntity, ClaimEntity) })
        {
            var before = filters.Count;
            AddTerms(filters, field, ids, requireAll: true);
            if (filters.Skip(before).OfType<TermsFilter>().SelectMany(f => f.Values).FirstOrDefault(v => !EntityIds.IsValid(v)) is { } notEntityId)
            {
                throw new InvalidSearchRequestException(field.Name, $"{field.Name} must be Wikidata QIDs such as Q30 or emerging-entity ids such as nil:0123456789ab, got '{notEntityId}'.");
            }
        }

        AddTerms(filters, SearchFields.EntityType, EntityType);
        AddTerms(filters, SearchFields.ClaimType, ClaimType);
        AddTerms(filters, SearchFields.Attribution, Attribution);
        AddTerms(filters, SearchFields.Outlet, Outlet);
        AddTerms(filters, SearchFields.Language, Language);
        AddTerms(filters, SearchFields.Status, Status);
        foreach (var (name, values) in enrichmentFilters ?? [])
        {
            AddTerms(filters, new SearchField(name, SearchFieldKind.Keyword, "enricher-declared field"), values);
        }

        if ((MinimumWorthiness(Worthiness) ?? worthinessFromOperator) is { } minimum)
        {
            if (minimum is < 0 or > 1 || double.IsNaN(minimum))
            {
                throw new InvalidSearchRequestException("worthiness", "worthiness must be between 0 and 1.");
            }

            filters.Add(new NumberRangeFilter(SearchFields.Worthiness.Name, minimum));
        }

        var publishedFrom = Date("published_from", PublishedFrom);
        var publishedTo = Date("published_to", PublishedTo);
        if (publishedFrom > publishedTo)
        {
            throw new InvalidSearchRequestException("published_from", "published_from must not be after published_to.");
        }

        if (publishedFrom is not null || publishedTo is not null)
        {
            filters.Add(new DateRangeFilter(SearchFields.Published.Name, publishedFrom, publishedTo));
        }

        var interval = Interval?.ToLowerInvariant() switch
        {
            null or "month" => DateInterval.Month,
            "day" => DateInterval.Day,
            "year" => DateInterval.Year,
            _ => throw new InvalidSearchRequestException("interval", "interval must be day, month or year."),
        };
        var facetSize = Integer("facet_size", FacetSize) ?? 10;
        if (facetSize is < 1 or > SearchRequestValidation.MaxFacetSize)
        {
            throw new InvalidSearchRequestException("facet_size", $"facet_size must be between 1 and {SearchRequestValidation.MaxFacetSize}.");
        }

        var facets = (Facet ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Select(f => new FacetRequest(f, facetSize, interval))
            .ToList();
        if (facets.Count > MaxFacets)
        {
            throw new InvalidSearchRequestException("facet", $"At most {MaxFacets} facets can be counted in one request.");
        }

        var sort = Sort?.ToLowerInvariant() switch
        {
            null or "relevance" => SearchSort.Relevance,
            "newest" => SearchSort.Newest,
            "oldest" => SearchSort.Oldest,
            _ => throw new InvalidSearchRequestException("sort", "sort must be relevance, newest or oldest."),
        };

        return new SearchRequest(Q, size, from)
        {
            Filters = filters,
            Facets = facets,
            Sort = sort,
            Cursor = string.IsNullOrEmpty(Cursor) ? null : Cursor,
            Highlight = Flag("highlight", Highlight) ?? true,
        };
    }

    static void AddTerms(List<SearchFilter> filters, SearchField field, string[]? values, bool requireAll = false)
    {
        var given = (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (values is { Length: > 0 } && given.Count == 0)
        {
            throw new InvalidSearchRequestException(field.Name, $"{field.Name} needs a value.");
        }

        if (given.Count > MaxValues)
        {
            throw new InvalidSearchRequestException(field.Name, $"{field.Name} takes at most {MaxValues} values, got {given.Count}.");
        }

        if (given.Count > 0)
        {
            filters.Add(new TermsFilter(field.Name, given, requireAll));
        }
    }

    /// <summary>A whole number, or null when the parameter is absent or empty.</summary>
    public static int? Integer(string parameter, string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new InvalidSearchRequestException(parameter, $"{parameter} must be a whole number, got '{value}'.");

    /// <summary>The minimum check-worthiness as a number (its range is checked where it is used), or null when absent.</summary>
    public static double? MinimumWorthiness(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new InvalidSearchRequestException("worthiness", $"worthiness must be a number between 0 and 1, got '{value}'.");

    static bool? Flag(string parameter, string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : bool.TryParse(value, out var flag)
                ? flag
                : throw new InvalidSearchRequestException(parameter, $"{parameter} must be true or false, got '{value}'.");

    static DateTimeOffset? Date(string parameter, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new InvalidSearchRequestException(parameter, $"{parameter} must be an ISO 8601 date or time, got '{value}'.");
    }

    // Declared before Names: static initialisers run in textual order, and Names is built from this.
    static readonly (string Name, System.Reflection.PropertyInfo Property)[] Bound =
        [.. typeof(SearchParameters).GetProperties()
            .Select(p => (Attribute: p.GetCustomAttributes(typeof(FromQueryAttribute), false).OfType<FromQueryAttribute>().FirstOrDefault(), Property: p))
            .Where(b => b.Attribute?.Name is not null)
            .Select(b => (b.Attribute!.Name!, b.Property))];

    /// <summary>
    /// The query-string names of these parameters, in declaration order, from their <c>[FromQuery]</c> attributes: the one
    /// list of what <c>GET /search</c> binds (a watch's saved search is checked and ordered by it).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = [.. Bound.Select(b => b.Name)];

    /// <summary>
    /// The store's request from a query string held as data (a watch's saved search), exactly as <c>GET /search</c>
    /// with that query string would build it: the same binding by name (first value of a single-valued parameter, every
    /// value of a list), the same <c>worthiness&gt;</c> and enrichment filters, the same validation.
    /// </summary>
    public static SearchRequest FromQuery(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var parameters = new SearchParameters();
        foreach (var (name, property) in Bound)
        {
            if (query.TryGetValue(name, out var values) && values.Count > 0)
            {
                property.SetValue(parameters, property.PropertyType == typeof(string[]) ? (object)values.Select(v => v ?? "").ToArray() : values[0]);
            }
        }

        return parameters.ToRequest(query);
    }
}
