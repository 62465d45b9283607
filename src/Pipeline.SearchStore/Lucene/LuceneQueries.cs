using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>Translates the query model into Lucene: the parsed text query, the filter, the sort and the search_after position.</summary>
static class LuceneQueries
{
    static readonly Dictionary<string, float> Boosts = new() { [LuceneFields.Title] = 3f, [LuceneFields.Text] = 1f };

    /// <summary>The query text; <paramref name="exactFields"/> (enrichment fields of whole values) are matched whole.</summary>
    public static Query Parse(string? text, IEnumerable<string> exactFields)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new MatchAllDocsQuery();
        }

        var parser = new MultiFieldQueryParser(LuceneVersion.LUCENE_48, [LuceneFields.Title, LuceneFields.Text], LuceneAnalysis.CreateQueryAnalyzer(exactFields), Boosts)
        {
            DefaultOperator = Operator.AND,
        };
        try
        {
            return parser.Parse(text);
        }
        catch (ParseException e)
        {
            throw new QuerySyntaxException(QuerySyntaxMessage.For(text, FirstLine(e.Message)), e);
        }
        catch (BooleanQuery.TooManyClausesException e)
        {
            throw new QuerySyntaxException(QuerySyntaxMessage.TooManyTerms, e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException or IndexOutOfRangeException)
        {
            // Parts of the query the parser hands on unchecked: a regular expression (/[/), a fuzzy or slop number.
            throw new QuerySyntaxException(QuerySyntaxMessage.For(text, FirstLine(e.Message)), e);
        }
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>Only documents that have their article are found; cached per segment, as every query uses it.</summary>
    public static Filter HasArticle() => new CachingWrapperFilter(new QueryWrapperFilter(new TermQuery(new Term(LuceneFields.HasArticle, "true"))));

    /// <summary>Every filter must hold (AND), and <paramref name="hasArticle"/>; enrichment fields filter their <paramref name="exact"/> field.</summary>
    public static Filter Filter(IReadOnlyList<SearchFilter> filters, Filter hasArticle, IReadOnlyDictionary<string, string> exact)
    {
        if (filters.Count == 0)
        {
            return hasArticle;
        }

        var all = new BooleanQuery();
        foreach (var filter in filters)
        {
            all.Add(Clause(filter, exact), Occur.MUST);
        }

        return new BooleanFilter { new FilterClause(hasArticle, Occur.MUST), new FilterClause(new QueryWrapperFilter(all), Occur.MUST) };
    }

    static Query Clause(SearchFilter filter, IReadOnlyDictionary<string, string> exact)
    {
        var field = exact.TryGetValue(filter.Field, out var enrichment) ? enrichment : LuceneFields.For(SearchFields.Find(filter.Field)!);
        switch (filter)
        {
            case TermsFilter terms:
                var any = new BooleanQuery();
                foreach (var value in terms.Values.Distinct(StringComparer.Ordinal))
                {
                    any.Add(new TermQuery(new Term(field, value)), terms.RequireAll ? Occur.MUST : Occur.SHOULD);
                }

                return any;
            case NumberRangeFilter range:
                return NumericRangeQuery.NewDoubleRange(field, range.Min, range.Max, true, true);
            case DateRangeFilter dates:
                return NumericRangeQuery.NewInt64Range(field, dates.From?.ToUnixTimeMilliseconds(), dates.To?.ToUnixTimeMilliseconds(), true, false);
            default:
                throw new InvalidSearchRequestException(filter.Field, $"Unknown filter {filter.GetType().Name}.");
        }
    }

    /// <summary>The sort; the article id last, so hits with equal values keep one order across pages and refreshes.</summary>
    public static Sort Sort(SearchSort sort)
    {
        var byId = new SortField(LuceneFields.Id, SortFieldType.STRING);
        return sort switch
        {
            SearchSort.Newest => new Sort(new SortField(LuceneFields.Published, SortFieldType.INT64, reverse: true), byId),
            SearchSort.Oldest => new Sort(new SortField(LuceneFields.Published, SortFieldType.INT64), byId),
            _ => new Sort(SortField.FIELD_SCORE, byId),
        };
    }

    /// <summary>
    /// The position after the cursor's hit. Its doc id is past every real one, so a document that ties on every sort
    /// value (the cursor's own article) counts as already seen.
    /// </summary>
    public static FieldDoc? After(SearchCursor? cursor) =>
        cursor is null
            ? null
            : cursor.Sort == SearchSort.Relevance
                ? new FieldDoc(int.MaxValue, (float)cursor.Value, [J2N.Numerics.Single.GetInstance((float)cursor.Value), new BytesRef(cursor.ArticleId)])
                : new FieldDoc(int.MaxValue, float.NaN, [J2N.Numerics.Int64.GetInstance((long)cursor.Value), new BytesRef(cursor.ArticleId)]);
}
