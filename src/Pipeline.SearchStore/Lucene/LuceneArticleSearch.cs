using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// The embedded store's read side. Opens readers on the committed index that the indexing process writes and
/// refreshes them before each query, so a search sees every write the indexer has acknowledged.
/// </summary>
public sealed class LuceneArticleSearch : IArticleSearch, IDisposable
{
    static readonly Dictionary<string, float> Boosts = new() { [LuceneFields.Title] = 3f, [LuceneFields.Text] = 1f };

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
        var query = Parse(request.Query);
        var searchers = Searchers();
        if (searchers is null)
        {
            return Task.FromResult(new SearchResults(0, []));
        }

        var searcher = searchers.Acquire();
        try
        {
            var filter = new QueryWrapperFilter(new TermQuery(new Term(LuceneFields.HasArticle, "true")));
            var top = searcher.Search(query, filter, request.From + request.Size);
            var hits = top.ScoreDocs.Skip(request.From)
                .Select(scoreDoc => SearchHits.From(LuceneFields.FromLucene(searcher.Doc(scoreDoc.Doc)), scoreDoc.Score))
                .ToList();
            return Task.FromResult(new SearchResults(top.TotalHits, hits));
        }
        finally
        {
            searchers.Release(searcher);
        }
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

    static Query Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new MatchAllDocsQuery();
        }

        var parser = new MultiFieldQueryParser(LuceneVersion.LUCENE_48, [LuceneFields.Title, LuceneFields.Text], LuceneAnalysis.CreateQueryAnalyzer(), Boosts)
        {
            DefaultOperator = Operator.AND,
        };
        try
        {
            return parser.Parse(text);
        }
        catch (ParseException e)
        {
            throw new QuerySyntaxException($"The query '{text}' is not valid: {FirstLine(e.Message)}", e);
        }
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

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
                        _searchers = new SearcherManager(_directory, searcherFactory: null);
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
