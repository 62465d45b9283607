using System.Runtime.CompilerServices;
using Lucene.Net.Index;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// The search side's view of enricher-declared fields, read from the index's field infos (no list to keep in sync):
/// a field is filterable when its exact terms are indexed (<c>….keyword</c> for a field that is also full text, else the
/// field itself indexed as whole values, docs only), facetable when those exact values also have sorted-set doc values.
/// </summary>
static class LuceneEnrichmentFields
{
    /// <summary>Merged field infos per reader (a refresh makes a new reader), so a query does not merge them again.</summary>
    static readonly ConditionalWeakTable<IndexReader, FieldInfos> Infos = new();

    static FieldInfos? InfosOf(IndexReader? reader) => reader is null ? null : Infos.GetValue(reader, MultiFields.GetMergedFieldInfos);

    /// <summary>The exact index field of each enrichment field the request filters or facets on; refuses undeclared ones.</summary>
    public static Dictionary<string, string> Resolve(SearchRequest request, IndexReader? reader)
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        var infos = InfosOf(reader);
        foreach (var filter in request.Filters.Where(f => EnrichmentSearchField.Claims(f.Field)))
        {
            exact[filter.Field] = Exact(infos, filter.Field)?.Name ?? throw EnrichmentSearchField.NotDeclared(filter.Field, filter.Field, "filterable");
        }

        foreach (var facet in request.Facets.Concat(request.Pivots.SelectMany(p => new[] { p.Rows, p.Columns })).Where(f => EnrichmentSearchField.Claims(f.Field)))
        {
            var field = Exact(infos, facet.Field);
            exact[facet.Field] = field is { DocValuesType: DocValuesType.SORTED_SET }
                ? field.Name
                : throw EnrichmentSearchField.NotDeclared(facet.Field, "facet", "facetable");
        }

        return exact;
    }

    /// <summary>Enrichment fields indexed as whole values, which the query parser must match whole (keyword analyzer).</summary>
    public static IEnumerable<string> ExactFields(IndexReader? reader) =>
        InfosOf(reader) is not { } infos
            ? []
            : infos
                .Where(f => f.Name.StartsWith(EnrichmentFieldValues.Prefix, StringComparison.Ordinal) && IsExact(f))
                .Select(f => f.Name);

    static FieldInfo? Exact(FieldInfos? infos, string name)
    {
        if (infos is null)
        {
            return null;
        }

        var keyword = infos.FieldInfo(name + ".keyword");
        if (keyword is not null && IsExact(keyword))
        {
            return keyword;
        }

        var field = infos.FieldInfo(name);
        return field is not null && IsExact(field) ? field : null;
    }

    static bool IsExact(FieldInfo field) => field.IsIndexed && field.IndexOptions == IndexOptions.DOCS_ONLY;
}
