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

    /// <summary>
    /// A pivot: its sides are counted as facets, then one pass over the matching documents counts every cell, each
    /// document adding one to each (row value, column value) pair it has among the sides' values. A pivot of a facet
    /// by itself (entity x entity) counts that side once and uses it for both.
    /// </summary>
    public static PivotResult Pivot(PivotRequest pivot, IReadOnlyList<(AtomicReaderContext Context, int[] Docs, int Count)> segments, IndexReader reader, IReadOnlyDictionary<string, string> exact)
    {
        var same = pivot.Columns == pivot.Rows;
        var rows = Count(pivot.Rows, segments, reader, exact).Buckets;
        var columns = same ? rows : Count(pivot.Columns, segments, reader, exact).Buckets;
        var cells = new long[rows.Count, columns.Count];
        if (rows.Count == 0 || columns.Count == 0)
        {
            return PivotResult.From(pivot, rows, columns, cells);
        }

        var rowIndices = new List<int>();
        var columnIndices = new List<int>();
        foreach (var (context, docs, count) in segments)
        {
            var rowSide = PivotSide.For(pivot.Rows, rows, context.AtomicReader, exact);
            var columnSide = same ? rowSide : PivotSide.For(pivot.Columns, columns, context.AtomicReader, exact);
            if (rowSide is null || columnSide is null)
            {
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                rowSide.Indices(docs[i], rowIndices);
                if (rowIndices.Count == 0)
                {
                    continue;
                }

                if (!same)
                {
                    columnSide.Indices(docs[i], columnIndices);
                }

                foreach (var r in rowIndices)
                {
                    foreach (var c in same ? rowIndices : columnIndices)
                    {
                        cells[r, c]++;
                    }
                }
            }
        }

        return PivotResult.From(pivot, rows, columns, cells);
    }

    /// <summary>Which of a pivot side's buckets one document of a segment falls in.</summary>
    abstract class PivotSide
    {
        public abstract void Indices(int doc, List<int> into);

        public static PivotSide? For(FacetRequest side, IReadOnlyList<FacetBucket> buckets, AtomicReader segment, IReadOnlyDictionary<string, string> exact)
        {
            if (!exact.TryGetValue(side.Field, out var field))
            {
                var known = SearchFields.Find(side.Field)!;
                if (known.Kind == SearchFieldKind.Date)
                {
                    var days = LuceneFacetCache.Days(segment);
                    return days is null ? null : new DateSide(days, side.Interval, buckets);
                }

                field = LuceneFields.For(known);
            }

            var ordinals = LuceneFacetCache.For(segment, field);
            var values = segment.GetSortedSetDocValues(field);
            if (ordinals is null || values is null)
            {
                return null;
            }

            // Segment ordinal -> bucket index (or -1), from one term lookup per bucket.
            var index = new int[values.ValueCount];
            Array.Fill(index, -1);
            for (var b = 0; b < buckets.Count; b++)
            {
                var ord = values.LookupTerm(new BytesRef(buckets[b].Value));
                if (ord >= 0)
                {
                    index[ord] = b;
                }
            }

            return new KeywordSide(ordinals, index);
        }
    }

    sealed class KeywordSide(SegmentOrdinals ordinals, int[] index) : PivotSide
    {
        public override void Indices(int doc, List<int> into)
        {
            into.Clear();
            for (var k = ordinals.Starts[doc]; k < ordinals.Starts[doc + 1]; k++)
            {
                if (index[ordinals.Ords[k]] is var b and >= 0)
                {
                    into.Add(b);
                }
            }
        }
    }

    sealed class DateSide(int[] days, DateInterval interval, IReadOnlyList<FacetBucket> buckets) : PivotSide
    {
        readonly Dictionary<string, int> _byValue = buckets.Select((b, i) => (b.Value, i)).ToDictionary(x => x.Value, x => x.i, StringComparer.Ordinal);
        readonly Dictionary<int, int> _byDay = [];

        public override void Indices(int doc, List<int> into)
        {
            into.Clear();
            var day = days[doc];
            if (day == LuceneFacetCache.NoDay)
            {
                return;
            }

            if (!_byDay.TryGetValue(day, out var b))
            {
                _byDay[day] = b = _byValue.GetValueOrDefault(SearchRequestValidation.DateBucket(DateTimeOffset.UnixEpoch.AddDays(day), interval), -1);
            }

            if (b >= 0)
            {
                into.Add(b);
            }
        }
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
        var labels = field is LuceneFields.Entity || field == SearchFields.ClaimEntity.Name ? EntityLabels(reader, buckets.Select(b => b.Value)) : null;
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
        var sums = new Dictionary<int, long>();
        foreach (var (context, docs, count) in segments)
        {
            var segmentDays = LuceneFacetCache.Days(context.AtomicReader);
            if (segmentDays is null)
            {
                continue;
            }

            if (facet.Sum is { } sumField && LuceneFacetCache.Numbers(context.AtomicReader, sumField) is { } numbers)
            {
                for (var i = 0; i < count; i++)
                {
                    var doc = docs[i];
                    if (segmentDays[doc] != LuceneFacetCache.NoDay && numbers[doc] != 0)
                    {
                        sums[segmentDays[doc]] = sums.GetValueOrDefault(segmentDays[doc]) + numbers[doc];
                    }
                }
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

        var buckets = new SortedDictionary<string, (long Count, long Sum)>(StringComparer.Ordinal);
        foreach (var (day, count) in days)
        {
            var key = SearchRequestValidation.DateBucket(DateTimeOffset.UnixEpoch.AddDays(day), facet.Interval);
            var (sofar, sum) = buckets.GetValueOrDefault(key);
            buckets[key] = (sofar + count, sum + sums.GetValueOrDefault(day));
        }

        return new FacetResult(facet.Field, [.. buckets.Select(b => new FacetBucket(b.Key, b.Value.Count) { Sum = facet.Sum is null ? null : b.Value.Sum })]);
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
