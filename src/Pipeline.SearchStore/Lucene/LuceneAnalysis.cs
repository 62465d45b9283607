using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// The analyzers: English with stemming for the text fields, so "interfere" finds "interference"; keyword fields
/// (ids, outlets, entity QIDs and types, claim types, attribution kinds, status, enricher names) are matched exactly
/// in queries, as they were indexed.
/// </summary>
static class LuceneAnalysis
{
    static readonly string[] KeywordFields =
    [
        LuceneFields.Id, LuceneFields.HasArticle, LuceneFields.Source, LuceneFields.Language,
        LuceneFields.Entity, LuceneFields.EntityType, LuceneFields.ClaimType, LuceneFields.Attribution,
        LuceneFields.Status, LuceneFields.Enricher,
    ];

    public static Analyzer CreateAnalyzer() => new EnglishAnalyzer(LuceneVersion.LUCENE_48);

    /// <summary>English for text; the keyword fields and <paramref name="exactFields"/> (enrichment fields of whole values) whole.</summary>
    public static Analyzer CreateQueryAnalyzer(IEnumerable<string>? exactFields = null) =>
        new PerFieldAnalyzerWrapper(CreateAnalyzer(), KeywordFields.Concat(exactFields ?? []).Distinct(StringComparer.Ordinal).ToDictionary(f => f, Analyzer (_) => new KeywordAnalyzer()));
}
