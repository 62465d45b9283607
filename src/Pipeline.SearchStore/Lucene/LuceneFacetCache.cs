using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Pipeline.SearchStore.Lucene;

/// <summary>One segment's sorted-set ordinals, flattened: the ordinals of document d are Ords[Starts[d]..Starts[d + 1]].</summary>
sealed record SegmentOrdinals(int[] Starts, int[] Ords, long ValueCount);

/// <summary>
/// Facet data per segment, read once from the doc values and kept while the segment lives (segments never change;
/// deletions do not matter because only live matching documents are counted). Counting then is a tight loop over
/// plain arrays instead of a doc-values decode per value. <see cref="Warm"/> fills it for new segments when the
/// search side opens a new reader, so queries do not pay for it.
/// </summary>
static class LuceneFacetCache
{
    /// <summary>Marks a document without a publication date in <see cref="Days"/>.</summary>
    public const int NoDay = int.MinValue;

    static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, Lazy<SegmentOrdinals?>>> Ordinals = new();
    static readonly ConditionalWeakTable<object, Lazy<int[]?>> PublishedDays = new();
    static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, Lazy<int[]?>>> NumberValues = new();

    /// <summary>A whole-number doc-values field of each document (0 where absent), such as worthy_claims for sums.</summary>
    public static int[]? Numbers(AtomicReader segment, string field) =>
        NumberValues.GetValue(segment.CoreCacheKey, _ => new ConcurrentDictionary<string, Lazy<int[]?>>(StringComparer.Ordinal))
            .GetOrAdd(field, f => new Lazy<int[]?>(() => ReadNumbers(segment, f)))
            .Value;

    static int[]? ReadNumbers(AtomicReader segment, string field)
    {
        var values = segment.GetNumericDocValues(field);
        if (values is null)
        {
            return null;
        }

        var numbers = new int[segment.MaxDoc];
        for (var doc = 0; doc < numbers.Length; doc++)
        {
            numbers[doc] = (int)Math.Clamp(values.Get(doc), int.MinValue, int.MaxValue);
        }

        return numbers;
    }

    public static SegmentOrdinals? For(AtomicReader segment, string field) =>
        Ordinals.GetValue(segment.CoreCacheKey, _ => new ConcurrentDictionary<string, Lazy<SegmentOrdinals?>>(StringComparer.Ordinal))
            .GetOrAdd(field, f => new Lazy<SegmentOrdinals?>(() => Read(segment, f)))
            .Value;

    /// <summary>Days since 1970-01-01 (UTC) of each document's publication time, or <see cref="NoDay"/>.</summary>
    public static int[]? Days(AtomicReader segment) =>
        PublishedDays.GetValue(segment.CoreCacheKey, _ => new Lazy<int[]?>(() => ReadDays(segment))).Value;

    /// <summary>Reads the facet data of every segment of a newly opened reader that does not have it yet.</summary>
    public static void Warm(IndexReader reader)
    {
        foreach (var leaf in reader.Leaves)
        {
            foreach (var field in SearchFields.All.Where(f => f.Kind == SearchFieldKind.Keyword))
            {
                For(leaf.AtomicReader, LuceneFields.For(field));
            }

            Days(leaf.AtomicReader);
            Numbers(leaf.AtomicReader, SearchFields.WorthyClaims.Name);
        }
    }

    static SegmentOrdinals? Read(AtomicReader segment, string field)
    {
        var values = segment.GetSortedSetDocValues(field);
        if (values is null)
        {
            return null;
        }

        var maxDoc = segment.MaxDoc;
        var starts = new int[maxDoc + 1];
        var ords = new int[Math.Max(16, maxDoc)];
        var count = 0;
        for (var doc = 0; doc < maxDoc; doc++)
        {
            starts[doc] = count;
            values.SetDocument(doc);
            long ord;
            while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            {
                if (count == ords.Length)
                {
                    Array.Resize(ref ords, ords.Length * 2);
                }

                ords[count++] = (int)ord;
            }
        }

        starts[maxDoc] = count;
        Array.Resize(ref ords, count);
        return new SegmentOrdinals(starts, ords, values.ValueCount);
    }

    static int[]? ReadDays(AtomicReader segment)
    {
        const long DayMs = 86_400_000;
        var values = segment.GetNumericDocValues(LuceneFields.Published);
        var present = segment.GetDocsWithField(LuceneFields.Published);
        if (values is null || present is null)
        {
            return null;
        }

        var days = new int[segment.MaxDoc];
        for (var doc = 0; doc < days.Length; doc++)
        {
            days[doc] = present.Get(doc) ? (int)(Math.DivRem(values.Get(doc), DayMs, out var rem) - (rem < 0 ? 1 : 0)) : NoDay;
        }

        return days;
    }
}

/// <summary>Opens searchers for the search side and warms the facet data of their new segments before they serve queries.</summary>
sealed class FacetWarmingSearcherFactory : SearcherFactory
{
    public override IndexSearcher NewSearcher(IndexReader reader)
    {
        LuceneFacetCache.Warm(reader);
        return base.NewSearcher(reader);
    }
}
