using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;
using Pipeline.SearchStore.Lucene;
using Xunit;

namespace Pipeline.Testing;

/// <summary>
/// The embedded Lucene store on a real index directory of its own, written by one <see cref="LuceneArticleIndex"/>
/// and read by a separate <see cref="LuceneArticleSearch"/> as the search process reads it; deleted on dispose.
/// </summary>
public sealed class LuceneStoreUnderTest(string directoryPrefix) : IAsyncDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory(directoryPrefix);
    LuceneArticleIndex? _index;
    LuceneArticleSearch? _search;

    public Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync()
    {
        var options = Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });
        _index = new LuceneArticleIndex(options);
        _search = new LuceneArticleSearch(options);
        return Task.FromResult<(IArticleIndex, IArticleSearch)>((_index, _search));
    }

    public ValueTask DisposeAsync()
    {
        _index?.Dispose();
        _search?.Dispose();
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A real Elasticsearch cluster at ELASTICSEARCH_URL (the GitHub workflow provides one), with an index of its own that
/// is deleted on dispose. Without ELASTICSEARCH_URL, <see cref="OpenAsync"/> reports the calling test as skipped.
/// </summary>
public sealed class ElasticsearchStoreUnderTest(string indexPrefix, string suite) : IAsyncDisposable
{
    readonly string _indexName = $"{indexPrefix}-{Guid.NewGuid():N}";
    ElasticsearchConnection? _connection;

    public Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync()
    {
        var url = Environment.GetEnvironmentVariable("ELASTICSEARCH_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.Skip($"ELASTICSEARCH_URL is not set: no Elasticsearch cluster to run the {suite} against.");
        }

        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new Uri(url!)));
        _connection = new ElasticsearchConnection(client, Options.Create(new ElasticsearchOptions { IndexName = _indexName }));
        return Task.FromResult<(IArticleIndex, IArticleSearch)>((new ElasticsearchArticleIndex(_connection, TimeProvider.System), new ElasticsearchArticleSearch(_connection)));
    }

    /// <summary>Makes everything written so far visible to search (what Elasticsearch does on its own within a second).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var (_, body) = await _connection!.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{_indexName}/_refresh", null, cancellationToken);
        body?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            var (_, body) = await _connection.SendAsync(Elastic.Transport.HttpMethod.DELETE, $"/{_indexName}", null, CancellationToken.None);
            body?.Dispose();
        }
    }
}
