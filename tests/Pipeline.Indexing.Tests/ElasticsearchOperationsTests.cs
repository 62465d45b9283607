using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pipeline.Indexing.Operations;
using Pipeline.SearchStore.Elasticsearch;
using Pipeline.SearchStore.StoredArticles;
using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace Pipeline.Indexing.Tests;

/// <summary>The operations' Elasticsearch side (stored-article paging, store health) against recorded cluster answers.</summary>
public sealed class ElasticsearchOperationsTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static ElasticsearchConnection Connection(RecordedElasticsearch cluster) =>
        new(new ElasticsearchClient(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), cluster)), Options.Create(new ElasticsearchOptions()));

    static string Hit(string id) =>
        """{"_index":"articles","_id":"ID","_source":{"doc":{"articleId":"ID","article":null,"enrichments":{}}},"sort":["ID"]}""".Replace("ID", id, StringComparison.Ordinal);

    [Fact]
    public async Task Stored_articles_are_read_from_the_doc_source_in_id_order()
    {
        var cluster = new RecordedElasticsearch().Answer("_search", 200, $$$"""{"hits":{"total":{"value":2},"hits":[{{{Hit("a")}}},{{{Hit("b")}}}]}}""");

        var ids = new List<string>();
        await foreach (var document in new ElasticsearchStoredArticles(Connection(cluster)).ReadAllAsync(Cancel))
        {
            ids.Add(document.ArticleId);
        }

        Assert.Equal(["a", "b"], ids);
        var request = JsonDocument.Parse(cluster.Requests.Single(r => r.Path.Contains("_search", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal("asc", request.GetProperty("sort")[0].GetProperty("id").GetString());
        Assert.Equal("doc", request.GetProperty("_source")[0].GetString());
    }

    [Fact]
    public async Task A_missing_index_has_no_stored_articles()
    {
        var cluster = new RecordedElasticsearch().Answer("_search", 404, """{"error":{"type":"index_not_found_exception","reason":"no such index [articles]"},"status":404}""");

        var count = 0;
        await foreach (var _ in new ElasticsearchStoredArticles(Connection(cluster)).ReadAllAsync(Cancel))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData(200, """{"cluster_name":"x","status":"yellow"}""", HealthStatus.Healthy, "yellow")]
    [InlineData(200, """{"cluster_name":"x","status":"red"}""", HealthStatus.Unhealthy, "red")]
    [InlineData(503, """{"error":"unavailable"}""", HealthStatus.Unhealthy, "unreachable")]
    public async Task Store_health_follows_the_cluster_status(int status, string body, HealthStatus expected, string reason)
    {
        var cluster = new RecordedElasticsearch().Answer("_cluster/health", status, body);

        var result = await new ElasticsearchStoreHealthCheck(Connection(cluster)).CheckHealthAsync(new HealthCheckContext(), Cancel);

        Assert.Equal(expected, result.Status);
        Assert.Contains(reason, result.Description, StringComparison.Ordinal);
    }
}
