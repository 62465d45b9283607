using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Cli.Bench;

/// <summary>
/// Watches a Lucene index from the outside, as the search service does, and reports the articles that have become
/// searchable with both enrichments since the last look. Only segments it has not seen yet are read (and of them only
/// the postings of the two enricher terms and the stored id), so it can look every few milliseconds.
/// </summary>
public sealed class IndexWatcher(string path) : IDisposable
{
    static readonly Term Claims = new(LuceneFields.Enricher, "claims");
    static readonly Term Entities = new(LuceneFields.Enricher, "entities");
    static readonly HashSet<string> IdField = [LuceneFields.Id];

    readonly FSDirectory _directory = FSDirectory.Open(path);
    readonly HashSet<string> _seenSegments = [];
    readonly HashSet<string> _complete = new(StringComparer.Ordinal);
    DirectoryReader? _reader;

    public int CompleteCount => _complete.Count;

    /// <summary>Ids that became complete (article + claims + entities) since the previous call.</summary>
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

            var withClaims = new FixedBitSet(segment.MaxDoc);
            var claims = segment.GetTermDocsEnum(Claims);
            if (claims is null)
            {
                continue;
            }

            for (var doc = claims.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = claims.NextDoc())
            {
                withClaims.Set(doc);
            }

            var entities = segment.GetTermDocsEnum(Entities);
            for (var doc = entities?.NextDoc() ?? DocIdSetIterator.NO_MORE_DOCS; doc != DocIdSetIterator.NO_MORE_DOCS; doc = entities!.NextDoc())
            {
                if (!withClaims.Get(doc))
                {
                    continue;
                }

                var id = segment.Document(doc, IdField).Get(LuceneFields.Id);
                if (_complete.Add(id))
                {
                    found.Add(id);
                }
            }
        }

        return found;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _directory.Dispose();
    }
}
