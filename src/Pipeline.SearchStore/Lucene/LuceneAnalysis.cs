using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>The one analyzer for indexing and querying: English with stemming, so "interfere" finds "interference".</summary>
static class LuceneAnalysis
{
    public static Analyzer CreateAnalyzer() => new EnglishAnalyzer(LuceneVersion.LUCENE_48);
}
