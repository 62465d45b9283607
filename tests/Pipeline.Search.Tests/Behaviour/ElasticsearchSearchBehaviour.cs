using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;

namespace Pipeline.Search.Tests.Behaviour;

/// <summary>
/// The search behaviour suite on a real Elasticsearch cluster at ELASTICSEARCH_URL (the GitHub workflow provides one);
/// each test uses its own index, deleted afterwards. Without ELASTICSEARCH_URL every test reports skipped.
/// </summary>
public sealed class ElasticsearchSearchBehaviour : SearchBehaviourSuite
{
    readonly string _indexName = $"search-test-{Guid.NewGuid():N}";
    ElasticsearchConnection? _connection;

    protected override Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync()
    {
        var url = Environment.GetEnvironmentVariable("ELASTICSEARCH_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.Skip("ELASTICSEARCH_URL is not set: no Elasticsearch cluster to run the search behaviour suite against.");
        }

        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new Uri(url)));
        _connection = new ElasticsearchConnection(client, Options.Create(new ElasticsearchOptions { IndexName = _indexName }));
        return Task.FromResult<(IArticleIndex, IArticleSearch)>((new ElasticsearchArticleIndex(_connection, TimeProvider.System), new ElasticsearchArticleSearch(_connection)));
    }

    protected override async Task RefreshAsync()
    {
        var (_, body) = await _connection!.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{_indexName}/_refresh", null, Cancel);
        body?.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            var (_, body) = await _connection.SendAsync(Elastic.Transport.HttpMethod.DELETE, $"/{_indexName}", null, CancellationToken.None);
            body?.Dispose();
        }
    }
}
