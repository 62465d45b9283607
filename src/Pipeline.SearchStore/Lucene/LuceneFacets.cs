using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>Collects every matching document, per segment, for facet counting alongside the top-hits collector.</summary>
sealed class MatchingDocsCollector : ICollector
{
    readonly List<(AtomicReaderContext Context, int[] Docs, int Count)> _segments = [];
    AtomicReaderContext? _context;
    int[] _docs = [];
    int _count;

    public IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> Segments
    {
        get
        {
            Flush();
            return _segments;
        }
    }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        _context = context;
        _docs = new int[Math.Min(context.AtomicReader.MaxDoc, 1024)];
        _count = 0;
    }

    public void Collect(int doc)
    {
        if (_count == _docs.Length)
        {
            Array.Resize(ref _docs, Math.Min(_docs.Length * 2, _context!.AtomicReader.MaxDoc));
        }

        _docs[_count++] = doc;
    }

    void Flush()
    {
        if (_context is not null && _count > 0)
        {
            _segments.Add((_context, _docs, _count));
        }

        _context = null;
        _count = 0;
    }
}

/// <summary>
/// Exact facet counts from doc values: per segment, ordinals of the sorted-set values are counted in an array, then
/// the non-zero ordinals are resolved to their values and summed across segments. Date histograms bucket the
/// numeric doc values of the publication time.
/// </summary>
static class LuceneFacets
{
    public static FacetResult Count(FacetRequest facet, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments, IndexReader reader)
    {
        var field = SearchFields.Find(facet.Field)!;
        return field.Kind == SearchFieldKind.Date
            ? DateHistogram(facet, LuceneFields.For(field), segments)
            : Terms(facet, LuceneFields.For(field), segments, reader);
    }

    static FacetResult Terms(FacetRequest facet, string field, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments, IndexReader reader)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var term = new BytesRef();
        foreach (var (context, docs, count) in segments)
        {
            var values = context.AtomicReader.GetSortedSetDocValues(field);
            if (values is null)
            {
                continue;
            }

            var counts = new int[values.ValueCount];
            for (var i = 0; i < count; i++)
            {
                values.SetDocument(docs[i]);
                long ord;
                while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
                {
                    counts[ord]++;
                }
            }

            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] > 0)
                {
                    values.LookupOrd(ord, term);
                    var value = term.Utf8ToString();
                    totals[value] = totals.GetValueOrDefault(value) + counts[ord];
                }
            }
        }

        var top = totals.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(facet.Size).ToList();
        var labels = field == LuceneFields.Entity ? EntityLabels(reader, top.Select(t => t.Key)) : null;
        return new FacetResult(facet.Field, [.. top.Select(t => new FacetBucket(t.Key, t.Value, labels?.GetValueOrDefault(t.Key)))]);
    }

    static FacetResult DateHistogram(FacetRequest facet, string field, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments)
    {
        // Bucket by whole days first (a cheap division), then map the few distinct days to calendar buckets.
        const long DayMs = 86_400_000;
        var days = new Dictionary<long, long>();
        foreach (var (context, docs, count) in segments)
        {
            var values = context.AtomicReader.GetNumericDocValues(field);
            var present = context.AtomicReader.GetDocsWithField(field);
            if (values is null || present is null)
            {
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                if (present.Get(docs[i]))
                {
                    var day = Math.DivRem(values.Get(docs[i]), DayMs, out var rem) - (rem < 0 ? 1 : 0);
                    days[day] = days.GetValueOrDefault(day) + 1;
                }
            }
        }

        var buckets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (day, count) in days)
        {
            var key = SearchRequestValidation.DateBucket(DateTimeOffset.UnixEpoch.AddDays(day), facet.Interval);
            buckets[key] = buckets.GetValueOrDefault(key) + count;
        }

        return new FacetResult(facet.Field, [.. buckets.Select(b => new FacetBucket(b.Key, b.Value))]);
    }

    /// <summary>The label of each QID, from the "QID␟Label" terms: one seek per QID.</summary>
    public static Dictionary<string, string> EntityLabels(IndexReader reader, IEnumerable<string> qids)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var terms = MultiFields.GetTerms(reader, LuceneFields.EntityLabel);
        if (terms is null)
        {
            return labels;
        }

        var termsEnum = terms.GetEnumerator();
        foreach (var qid in qids)
        {
            var prefix = new BytesRef(qid + ArticleFacts.Separator);
            if (termsEnum.SeekCeil(prefix) != TermsEnum.SeekStatus.END && StringHelper.StartsWith(termsEnum.Term, prefix))
            {
                labels[qid] = termsEnum.Term.Utf8ToString()[prefix.Length..];
            }
        }

        return labels;
    }
}
