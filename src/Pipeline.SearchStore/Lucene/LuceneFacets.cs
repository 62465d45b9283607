using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
    public static FacetResult Count(FacetRequest facet, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments, IndexReader reader, IReadOnlyDictionary<string, string> exact)
    {
        if (exact.TryGetValue(facet.Field, out var enrichment))
        {
            return Terms(facet, enrichment, segments, reader);
        }

        var field = SearchFields.Find(facet.Field)!;
        return field.Kind == SearchFieldKind.Date
            ? DateHistogram(facet, segments)
            : Terms(facet, LuceneFields.For(field), segments, reader);
    }

    static FacetResult Terms(FacetRequest facet, string field, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments, IndexReader reader)
    {
        var map = GlobalOrdinals(reader, field);
        var leaves = reader.Leaves;
        var valueCount = map?.ValueCount ?? (leaves.Count == 1 ? leaves[0].AtomicReader.GetSortedSetDocValues(field)?.ValueCount ?? 0 : 0);
        var global = new int[valueCount];
        foreach (var (context, docs, count) in segments)
        {
            var values = LuceneFacetCache.For(context.AtomicReader, field);
            if (values is null)
            {
                continue;
            }

            // Count segment ordinals first (a plain array), then move the non-zero ones to global ordinals.
            var counts = new int[values.ValueCount];
            var (starts, ords) = (values.Starts, values.Ords);
            for (var i = 0; i < count; i++)
            {
                var doc = docs[i];
                for (var k = starts[doc]; k < starts[doc + 1]; k++)
                {
                    counts[ords[k]]++;
                }
            }

            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] > 0)
                {
                    global[map is null ? ord : map.GetGlobalOrd(context.Ord, ord)] += counts[ord];
                }
            }
        }

        // The top values by count, ties by value (global ordinals are in value order): a bounded min-heap.
        var top = new PriorityQueue<int, long>();
        for (var ord = 0; ord < global.Length; ord++)
        {
            if (global[ord] == 0)
            {
                continue;
            }

            var key = ((long)global[ord] << 32) | (uint)(int.MaxValue - ord);
            if (top.Count < facet.Size)
            {
                top.Enqueue(ord, key);
            }
            else if (top.TryPeek(out _, out var weakest) && key > weakest)
            {
                top.DequeueEnqueue(ord, key);
            }
        }

        var best = new List<(int Ord, long Key)>();
        while (top.TryDequeue(out var ord, out var key))
        {
            best.Add((ord, key));
        }

        best.Reverse();
        var term = new BytesRef();
        var buckets = best.Select(b =>
        {
            var segment = map is null ? 0 : map.GetFirstSegmentNumber(b.Ord);
            var segmentOrd = map is null ? b.Ord : map.GetFirstSegmentOrd(b.Ord);
            leaves[segment].AtomicReader.GetSortedSetDocValues(field).LookupOrd(segmentOrd, term);
            return (Value: term.Utf8ToString(), Count: (long)global[b.Ord]);
        }).ToList();
        var labels = field == LuceneFields.Entity ? EntityLabels(reader, buckets.Select(b => b.Value)) : null;
        return new FacetResult(facet.Field, [.. buckets.Select(b => new FacetBucket(b.Value, b.Count, labels?.GetValueOrDefault(b.Value)))]);
    }

    /// <summary>
    /// The map from each segment's ordinals to ordinals over the whole reader, built once per reader (a refresh makes a
    /// new reader) and field; null for a single segment, where segment ordinals are global.
    /// </summary>
    static MultiDocValues.OrdinalMap? GlobalOrdinals(IndexReader reader, string field) =>
        reader.Leaves.Count <= 1
            ? null
            : OrdinalMaps.GetValue(reader, _ => new ConcurrentDictionary<string, Lazy<MultiDocValues.OrdinalMap?>>(StringComparer.Ordinal))
                .GetOrAdd(field, f => new Lazy<MultiDocValues.OrdinalMap?>(() => (MultiDocValues.GetSortedSetValues(reader, f) as MultiDocValues.MultiSortedSetDocValues)?.Mapping))
                .Value;

    static readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, Lazy<MultiDocValues.OrdinalMap?>>> OrdinalMaps = new();

    static FacetResult DateHistogram(FacetRequest facet, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments)
    {
        // Bucket by whole days first (cached per segment), then map the few distinct days to calendar buckets.
        var days = new Dictionary<int, long>();
        foreach (var (context, docs, count) in segments)
        {
            var segmentDays = LuceneFacetCache.Days(context.AtomicReader);
            if (segmentDays is null)
            {
                continue;
            }

            int? lastDay = null;
            long run = 0;
            for (var i = 0; i < count; i++)
            {
                var day = segmentDays[docs[i]];
                if (day == LuceneFacetCache.NoDay)
                {
                    continue;
                }

                if (day != lastDay)
                {
                    if (lastDay is { } previous)
                    {
                        days[previous] = days.GetValueOrDefault(previous) + run;
                    }

                    (lastDay, run) = (day, 0);
                }

                run++;
            }

            if (lastDay is { } final)
            {
                days[final] = days.GetValueOrDefault(final) + run;
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
