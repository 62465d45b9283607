using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// The embedded store's read side. Opens readers on the committed index that the indexing process writes and
/// refreshes them before each query, so a search sees every write the indexer has acknowledged. One pass over the
/// matching documents feeds both the sorted top hits (search_after for cursors) and the exact facet counts.
/// </summary>
public sealed class LuceneArticleSearch : IArticleSearch, IDisposable
{
    /// <summary>Most prefix terms looked at for one suggestion request.</summary>
    const int MaxSuggestionTerms = 200;

    static readonly HashSet<string> IdOnly = [LuceneFields.Id];

    readonly Filter _hasArticle = LuceneQueries.HasArticle();
    readonly FSDirectory _directory;
    readonly System.Threading.Lock _openLock = new();
    SearcherManager? _searchers;

    public LuceneArticleSearch(IOptions<SearchStoreOptions> options)
    {
        System.IO.Directory.CreateDirectory(options.Value.LucenePath);
        _directory = FSDirectory.Open(options.Value.LucenePath);
    }

    public Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        SearchRequestValidation.Validate(request);
        var cursor = request.Cursor is null ? null : SearchCursor.Decode(request.Cursor, request.Sort);
        var searchers = Searchers();
        var searcher = searchers?.Acquire();
        try
        {
            // Enrichment fields are known from the index itself, so the searcher comes first.
            var exact = LuceneEnrichmentFields.Resolve(request, searcher?.IndexReader);
            var query = LuceneQueries.Parse(request.Query, LuceneEnrichmentFields.ExactFields(searcher?.IndexReader));
            var filter = LuceneQueries.Filter(request.Filters, _hasArticle, exact);
            if (searcher is null)
            {
                return Task.FromResult(new SearchResults(0, []));
            }

            // One more than the page, to know whether a next page exists, and one for the cursor's own article.
            var wanted = request.From + request.Size + 1 + (cursor is null ? 0 : 1);
            var top = TopFieldCollector.Create(LuceneQueries.Sort(request.Sort), wanted, LuceneQueries.After(cursor), fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
            var matching = request.Facets.Count > 0 || request.Pivots.Count > 0 ? new MatchingDocsCollector() : null;
            try
            {
                searcher.Search(query, filter, matching is null ? top : MultiCollector.Wrap(top, matching));
            }
            catch (BooleanQuery.TooManyClausesException e)
            {
                // A wildcard or fuzzy term rewritten against the index expands to more terms than a query may hold.
                throw new QuerySyntaxException(QuerySyntaxMessage.TooManyTerms, e);
            }

            var topDocs = top.GetTopDocs();

            // The cursor's own article ties with the cursor on every sort value; Lucene's tie on the doc id does not
            // reliably drop it, so it is dropped here (the id is the last sort field, so no other article ties).
            var ranked = cursor is null ? topDocs.ScoreDocs : [.. topDocs.ScoreDocs.Where(d => searcher.Doc(d.Doc, IdOnly).Get(LuceneFields.Id) != cursor.ArticleId)];
            var page = ranked.Skip(request.From).Take(request.Size).ToList();
            var highlights = request.Highlight && !string.IsNullOrWhiteSpace(request.Query) ? new LuceneHighlights(query) : null;
            var hits = page.Select(scoreDoc => Hit(searcher, scoreDoc, highlights)).ToList();
            var facets = matching is null ? [] : request.Facets.Select(f => LuceneFacets.Count(f, matching.Segments, searcher.IndexReader, exact)).ToList();
            var pivots = matching is null ? [] : request.Pivots.Select(p => LuceneFacets.Pivot(p, matching.Segments, searcher.IndexReader, exact)).ToList();
            var next = ranked.Length > request.From + request.Size && hits.Count > 0
                ? SearchCursor.After(request.Sort, hits[^1]).Encode()
                : null;
            return Task.FromResult(new SearchResults(topDocs.TotalHits, hits) { Facets = facets, Pivots = pivots, NextCursor = next });
        }
        finally
        {
            if (searcher is not null)
            {
                searchers!.Release(searcher);
            }
        }
    }

    static SearchHit Hit(IndexSearcher searcher, ScoreDoc scoreDoc, LuceneHighlights? highlights)
    {
        var document = LuceneFields.FromLucene(searcher.Doc(scoreDoc.Doc));
        var score = float.IsNaN(scoreDoc.Score) ? 0 : scoreDoc.Score;
        if (highlights is null)
        {
            return SearchHits.From(document, score);
        }

        var (title, fragments) = highlights.For(document.Article!.Title, document.Article.Text);
        return SearchHits.From(document, score, title, fragments);
    }

    public Task<ArticleDocument?> GetAsync(string articleId, CancellationToken cancellationToken)
    {
        var searchers = Searchers();
        if (searchers is null)
        {
            return Task.FromResult<ArticleDocument?>(null);
        }

        var searcher = searchers.Acquire();
        try
        {
            var top = searcher.Search(new TermQuery(new Term(LuceneFields.Id, articleId)), 1);
            var document = top.TotalHits == 0 ? null : LuceneFields.FromLucene(searcher.Doc(top.ScoreDocs[0].Doc));
            return Task.FromResult(document?.Article is null ? null : document);
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    public Task<IReadOnlyList<EntitySuggestion>> SuggestEntitiesAsync(string prefix, int size, CancellationToken cancellationToken)
    {
        var normalized = ArticleFacts.Normalize(prefix);
        var searchers = Searchers();
        if (normalized.Length == 0 || searchers is null)
        {
            return Task.FromResult<IReadOnlyList<EntitySuggestion>>([]);
        }

        var searcher = searchers.Acquire();
        try
        {
            var terms = MultiFields.GetTerms(searcher.IndexReader, LuceneFields.EntitySuggest);
            var found = new Dictionary<string, EntitySuggestion>(StringComparer.Ordinal);
            if (terms is not null)
            {
                var termsEnum = terms.GetEnumerator();
                var start = new BytesRef(normalized);
                if (termsEnum.SeekCeil(start) != TermsEnum.SeekStatus.END)
                {
                    var seen = 0;
                    do
                    {
                        var term = termsEnum.Term;
                        if (!StringHelper.StartsWith(term, start) || ++seen > MaxSuggestionTerms)
                        {
                            break;
                        }

                        var parts = term.Utf8ToString().Split(ArticleFacts.Separator);
                        var counter = new TotalHitCountCollector();
                        searcher.Search(new TermQuery(new Term(LuceneFields.EntitySuggest, BytesRef.DeepCopyOf(term))), _hasArticle, counter);
                        if (counter.TotalHits > 0 && (!found.TryGetValue(parts[1], out var known) || known.Articles < counter.TotalHits))
                        {
                            found[parts[1]] = new EntitySuggestion(parts[1], parts[2], counter.TotalHits);
                        }
                    }
                    while (termsEnum.MoveNext());
                }
            }

            IReadOnlyList<EntitySuggestion> result = [.. found.Values.OrderByDescending(s => s.Articles).ThenBy(s => s.Label, StringComparer.Ordinal).Take(size)];
            return Task.FromResult(result);
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    SearcherManager? Searchers()
    {
        if (_searchers is null)
        {
            lock (_openLock)
            {
                try
                {
                    if (_searchers is null && DirectoryReader.IndexExists(_directory))
                    {
                        _searchers = new SearcherManager(_directory, new FacetWarmingSearcherFactory());
                    }
                }
                catch (IOException)
                {
                    // The first commit was being replaced while we opened it; the next query tries again.
                }
            }
        }

        try
        {
            _searchers?.MaybeRefresh();
        }
        catch (IOException)
        {
            // The indexer (another process) deleted the files of a commit while this reader was opening it. The
            // previous searcher is still valid and consistent; the next query opens the newer commit.
        }

        return _searchers;
    }

    public void Dispose()
    {
        _searchers?.Dispose();
        _directory.Dispose();
    }
}
