namespace Pipeline.SearchStore;

/// <summary>Checks a request against the field catalogue before a store runs it, naming the parameter at fault.</summary>
public static class SearchRequestValidation
{
    public const int MaxFacetSize = 100;

    /// <summary>Most pivots of one request, and most values on a pivot's keyword side (a date side has every bucket).</summary>
    public const int MaxPivots = 4;

    public const int MaxPivotColumns = 50;

    /// <summary>from + size at most this, as Elasticsearch's index.max_result_window: deeper pages use the cursor.</summary>
    public const int MaxWindow = 10_000;

    /// <summary>
    /// Deepest nesting of parentheses in the query text. Query parsers recurse per group, so 10,000 of them would
    /// overflow the stack (a crash, not an exception); no real query needs more than a few.
    /// </summary>
    public const int MaxQueryNesting = 32;

    public static void Validate(SearchRequest request)
    {
        if (request.Size < 1 || request.Size > MaxWindow)
        {
            throw new InvalidSearchRequestException("size", $"size must be between 1 and {MaxWindow}.");
        }

        // Compared without adding: from = 2147483647 must not overflow into a small window.
        if (request.From < 0 || request.From > MaxWindow - request.Size)
        {
            throw new InvalidSearchRequestException("from", $"from must be at least 0 and from + size at most {MaxWindow}; use cursor for deeper pages.");
        }

        if (QueryNesting(request.Query) > MaxQueryNesting)
        {
            throw new QuerySyntaxException($"The query nests parentheses deeper than {MaxQueryNesting} levels.");
        }

        foreach (var filter in request.Filters)
        {
            if (EnrichmentSearchField.Claims(filter.Field))
            {
                ValidateEnrichmentFilter(filter);
                continue;
            }

            var field = SearchFields.Find(filter.Field)
                ?? throw new InvalidSearchRequestException(filter.Field, $"'{filter.Field}' is not a filterable field.");
            var expected = filter switch
            {
                TermsFilter terms when terms.Values.Count == 0 || terms.Values.Any(string.IsNullOrWhiteSpace) =>
                    throw new InvalidSearchRequestException(filter.Field, $"{filter.Field} needs a non-empty value."),
                TermsFilter => SearchFieldKind.Keyword,
                NumberRangeFilter => SearchFieldKind.Number,
                DateRangeFilter => SearchFieldKind.Date,
                _ => throw new InvalidSearchRequestException(filter.Field, $"Unknown filter {filter.GetType().Name}."),
            };
            if (field.Kind != expected)
            {
                throw new InvalidSearchRequestException(filter.Field, $"{filter.Field} is a {field.Kind.ToString().ToLowerInvariant()} field, not filtered as a {expected.ToString().ToLowerInvariant()}.");
            }
        }

        foreach (var facet in request.Facets.Concat(request.Pivots.SelectMany(p => new[] { p.Rows, p.Columns })))
        {
            var field = SearchFields.Find(facet.Field);
            if (EnrichmentSearchField.Claims(facet.Field) && !EnrichmentSearchField.IsWellFormed(facet.Field))
            {
                throw new InvalidSearchRequestException("facet", $"'{facet.Field}' is not an enrichment field name: it must be enrichment.<enricher>.<field>.");
            }

            if ((field is null && !EnrichmentSearchField.Claims(facet.Field)) || field?.Kind == SearchFieldKind.Number || field == SearchFields.Indexed)
            {
                throw new InvalidSearchRequestException("facet", $"'{facet.Field}' is not a facetable field.");
            }

            if (facet.Size is < 1 or > MaxFacetSize)
            {
                throw new InvalidSearchRequestException("facet", $"A facet's size must be between 1 and {MaxFacetSize}.");
            }

            if (facet.Sum is { } sum && (field?.Kind != SearchFieldKind.Date || sum != SearchFields.WorthyClaims.Name))
            {
                throw new InvalidSearchRequestException("facet", $"Only a date histogram sums, and only {SearchFields.WorthyClaims.Name}; got {sum} over {facet.Field}.");
            }
        }

        if (request.Pivots.Count > MaxPivots)
        {
            throw new InvalidSearchRequestException("pivot", $"At most {MaxPivots} pivots can be counted in one request.");
        }

        if (request.Pivots.FirstOrDefault(p => p.Columns.Size > MaxPivotColumns || (SearchFields.Find(p.Rows.Field)?.Kind != SearchFieldKind.Date && p.Rows.Size > MaxPivotColumns)) is { } wide)
        {
            throw new InvalidSearchRequestException("pivot", $"A pivot has at most {MaxPivotColumns} values on a keyword side; {wide.Rows.Field} x {wide.Columns.Field} asks for more.");
        }

        if (request.Cursor is not null && request.From != 0)
        {
            throw new InvalidSearchRequestException("cursor", "cursor and from cannot be combined: a cursor continues after the previous page.");
        }
    }

    /// <summary>The deepest parenthesis nesting of the query text, not counting escaped parentheses or those inside quotes.</summary>
    static int QueryNesting(string? query)
    {
        int depth = 0, deepest = 0;
        var quoted = false;
        for (var i = 0; i < (query?.Length ?? 0); i++)
        {
            switch (query![i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case ')' when !quoted:
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return deepest;
    }

    /// <summary>
    /// An enricher-declared field: well-formed and filtered by exact values. Whether it is declared filterable is the
    /// store's to check against its index.
    /// </summary>
    static void ValidateEnrichmentFilter(SearchFilter filter)
    {
        if (!EnrichmentSearchField.IsWellFormed(filter.Field))
        {
            throw new InvalidSearchRequestException(filter.Field, $"'{filter.Field}' is not an enrichment field name: it must be enrichment.<enricher>.<field>.");
        }

        if (filter is not TermsFilter terms)
        {
            throw new InvalidSearchRequestException(filter.Field, $"{filter.Field} is a keyword field, filtered by exact values.");
        }

        if (terms.Values.Count == 0 || terms.Values.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidSearchRequestException(filter.Field, $"{filter.Field} needs a non-empty value.");
        }
    }

    /// <summary>The start of the date bucket containing <paramref name="time"/>, as its facet value.</summary>
    public static string DateBucket(DateTimeOffset time, DateInterval interval)
    {
        var utc = time.UtcDateTime;
        return interval switch
        {
            DateInterval.Day => utc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            DateInterval.Year => utc.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
            _ => utc.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
