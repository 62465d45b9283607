using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// Finds the current document of an article by its id in one point-in-time reader, for the merge before an update.
/// A primary-key lookup: one terms enumerator per segment, opened once and sought for every id, instead of a query
/// per id (which builds a fresh enumerator, weight and collector for every segment each time). Not thread-safe: one
/// per indexing thread.
/// </summary>
public sealed class CurrentDocuments
{
    readonly Segment[] _segments;

    public CurrentDocuments(IndexReader reader)
    {
        // Newest segments first: an article updated recently is found without seeking the older ones.
        _segments = [.. reader.Leaves.Reverse().Select(leaf => new Segment(leaf.AtomicReader))];
    }

    public ArticleDocument? Find(string articleId)
    {
        var id = new BytesRef(articleId);
        foreach (var segment in _segments)
        {
            if (segment.Find(id) is { } document)
            {
                return document;
            }
        }

        return null;
    }

    sealed class Segment(AtomicReader reader)
    {
        readonly TermsEnum? _ids = reader.GetTerms(LuceneFields.Id)?.GetEnumerator();
        DocsEnum? _docs;

        public ArticleDocument? Find(BytesRef id)
        {
            if (_ids is null || !_ids.SeekExact(id))
            {
                return null;
            }

            _docs = _ids.Docs(reader.LiveDocs, _docs, DocsFlags.NONE);
            var doc = _docs.NextDoc();
            return doc == DocIdSetIterator.NO_MORE_DOCS ? null : LuceneFields.FromLucene(reader.Document(doc));
        }
    }
}
