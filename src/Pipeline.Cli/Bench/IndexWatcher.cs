using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Cli.Bench;

/// <summary>
/// Watches a Lucene index from the outside, as the search service does, and reports the articles that have become
/// searchable with every one of the given enrichments (by default claims and entities) since the last look. Only
/// segments it has not seen yet are read (and of them only the postings of the enricher terms and the stored id), so
/// it can look every few milliseconds.
/// </summary>
public sealed class IndexWatcher(string path, params string[] enrichers) : IDisposable
{
    static readonly HashSet<string> IdField = [LuceneFields.Id];

    readonly Term[] _enrichers = [.. (enrichers.Length == 0 ? ["claims", "entities"] : enrichers).Select(e => new Term(LuceneFields.Enricher, e))];
    readonly FSDirectory _directory = FSDirectory.Open(path);
    readonly HashSet<string> _seenSegments = [];
    readonly HashSet<string> _complete = new(StringComparer.Ordinal);
    DirectoryReader? _reader;

    public int CompleteCount => _complete.Count;

    public bool IsComplete(string articleId) => _complete.Contains(articleId);

    /// <summary>Which enrichers the index holds for each of these articles (to explain one that never became complete).</summary>
    public static string Describe(string path, IEnumerable<string> articleIds)
    {
        using var directory = FSDirectory.Open(path);
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        var lines = new List<string>();
        foreach (var id in articleIds)
        {
            var hits = searcher.Search(new TermQuery(new Term(LuceneFields.Id, id)), 2).TotalHits;
            var enrichers = string.Join(",", new[] { "claims", "entities", "fact-checks" }.Where(e => searcher.Search(
                new BooleanQuery { { new TermQuery(new Term(LuceneFields.Id, id)), Occur.MUST }, { new TermQuery(new Term(LuceneFields.Enricher, e)), Occur.MUST } }, 1).TotalHits > 0));
            lines.Add($"{id}: {hits} document(s), enrichers [{enrichers}]");
        }

        return "Incomplete: " + string.Join("; ", lines);
    }

    /// <summary>Ids that became complete (the article with every watched enrichment) since the previous call.</summary>
    public List<string> Poll()
    {
        var found = new List<string>();
        if (_reader is null)
        {
            if (!DirectoryReader.IndexExists(_directory))
            {
                return found;
            }

            _reader = DirectoryReader.Open(_directory);
        }
        else if (DirectoryReader.OpenIfChanged(_reader) is { } newer)
        {
            _reader.Dispose();
            _reader = newer;
        }
        else
        {
            return found;
        }

        foreach (var leaf in _reader.Leaves)
        {
            var segment = (SegmentReader)leaf.AtomicReader;
            if (!_seenSegments.Add(segment.SegmentName))
            {
                continue;
            }

            if (CompleteDocuments(segment) is not { } complete)
            {
                continue;
            }

            for (var doc = complete.NextSetBit(0); doc >= 0; doc = doc + 1 < complete.Length ? complete.NextSetBit(doc + 1) : -1)
            {
                var id = segment.Document(doc, IdField).Get(LuceneFields.Id);
                if (_complete.Add(id))
                {
                    found.Add(id);
                }
            }
        }

        return found;
    }

    /// <summary>The segment's documents that carry every enricher term; null when one of them has none.</summary>
    FixedBitSet? CompleteDocuments(SegmentReader segment)
    {
        FixedBitSet? complete = null;
        foreach (var term in _enrichers)
        {
            var postings = segment.GetTermDocsEnum(term);
            if (postings is null)
            {
                return null;
            }

            var these = new FixedBitSet(segment.MaxDoc);
            for (var doc = postings.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.NextDoc())
            {
                these.Set(doc);
            }

            if (complete is null)
            {
                complete = these;
            }
            else
            {
                complete.And(these);
            }
        }

        return complete;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _directory.Dispose();
    }
}
