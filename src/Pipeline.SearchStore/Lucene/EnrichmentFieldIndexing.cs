using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// Indexes the fields enrichers declared: searchable ones as analysed English text, filterable ones as exact terms,
/// facetable ones also as sorted-set doc values for counting. Called once per document by <see cref="LuceneDocumentBuilder"/>.
/// </summary>
public static class EnrichmentFieldIndexing
{
    /// <summary>Lucene refuses terms over 32,766 UTF-8 bytes; longer exact values are skipped rather than refusing the article.</summary>
    const int MaxKeywordBytes = 32_766;

    public static void AddTo(Document doc, ArticleDocument document, ReusableFields fields)
    {
        foreach (var values in EnrichmentFieldValues.Of(document))
        {
            var uses = values.Field.Uses;
            foreach (var value in values.Items)
            {
                if (uses.HasFlag(EnrichmentFieldUses.Searchable))
                {
                    doc.Add(fields.Text(values.IndexName, value));
                }

                var exact = uses.HasFlag(EnrichmentFieldUses.Filterable) || uses.HasFlag(EnrichmentFieldUses.Facetable);
                if (!exact || System.Text.Encoding.UTF8.GetByteCount(value) > MaxKeywordBytes)
                {
                    continue;
                }

                doc.Add(fields.Keyword(values.ExactName, value));
                if (uses.HasFlag(EnrichmentFieldUses.Facetable))
                {
                    doc.Add(fields.SortedSetDocValues(values.ExactName, value));
                }
            }
        }
    }

    /// <summary>Documents whose declared field has exactly this value (for the search side's filter parameter).</summary>
    public static Query Filter(string enricher, EnrichmentField field, string value) =>
        new TermQuery(new Term(EnrichmentFieldValues.ExactFieldName(enricher, field), value));

    /// <summary>Counts of each value of a facetable field over the documents that match the query, most frequent first.</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> Facet(IndexSearcher searcher, Query query, string exactFieldName, int top)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var values = leaf.AtomicReader.GetSortedSetDocValues(exactFieldName);
            if (values is null)
            {
                continue;
            }

            var weight = searcher.CreateNormalizedWeight(query);
            var scorer = weight.GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            if (scorer is null)
            {
                continue;
            }

            var term = new BytesRef();
            for (var doc = scorer.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = scorer.NextDoc())
            {
                values.SetDocument(doc);
                for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd())
                {
                    values.LookupOrd(ord, term);
                    var key = term.Utf8ToString();
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }

        return [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top)];
    }
}
