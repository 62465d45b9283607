using Lucene.Net.Analysis;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// Marks the query's terms in a hit's title and text (Lucene.Net.Highlighter): the stored text is analysed again with
/// the index analyzer, text outside the marks is HTML-escaped, terms are wrapped in &lt;mark&gt;.
/// </summary>
sealed class LuceneHighlights(Query query)
{
    const int FragmentChars = 160;
    const int Fragments = 2;

    /// <summary>
    /// Text analysed again per hit: the highlighter's cost grows with it (phrases build an in-memory index of it), so a
    /// long article is marked in its first part only; a match further on still counts, it just is not shown.
    /// </summary>
    const int MaxCharsToAnalyze = 10_000;

    readonly Analyzer _analyzer = LuceneAnalysis.CreateAnalyzer();

    public (string? Title, IReadOnlyList<string> Fragments) For(string title, string text)
    {
        var titleMarks = Highlighter(LuceneFields.Title, new NullFragmenter()).GetBestFragment(_analyzer, LuceneFields.Title, title);
        var fragments = Highlighter(LuceneFields.Text, null).GetBestFragments(_analyzer, LuceneFields.Text, text, Fragments);
        return (titleMarks, fragments.Where(f => f.Length > 0).ToList());
    }

    Highlighter Highlighter(string field, IFragmenter? fragmenter)
    {
        var scorer = new QueryScorer(query, field);
        return new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new SimpleHTMLEncoder(), scorer)
        {
            MaxDocCharsToAnalyze = MaxCharsToAnalyze,
            TextFragmenter = fragmenter ?? new SimpleSpanFragmenter(scorer, FragmentChars),
        };
    }
}
