using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;

namespace Pipeline.Indexing.Tests;

/// <summary>How the Elasticsearch store handles what a cluster answers, through the client's in-memory transport.</summary>
public sealed class ElasticsearchResponseTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    const string NothingFound = """{"docs":[{"_index":"articles","_id":"a1","found":false},{"_index":"articles","_id":"a2","found":false}]}""";

    static (ElasticsearchArticleIndex Index, ElasticsearchArticleSearch Search) Store(RecordedElasticsearch cluster)
    {
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), cluster));
        var connection = new ElasticsearchConnection(
            client,
            Options.Create(new ElasticsearchOptions { ItemRetryMinInterval = TimeSpan.FromMilliseconds(1), ItemRetryMaxInterval = TimeSpan.FromMilliseconds(5) }));
        return (new ElasticsearchArticleIndex(connection, TimeProvider.System), new ElasticsearchArticleSearch(connection));
    }

    static IArticleMessage[] TwoArticles() => [Messages.Article("a1"), Messages.Article("a2")];

    [Fact]
    public async Task Partial_bulk_failure_refuses_only_the_failed_document_with_the_clusters_reason()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, NothingFound)
            .Answer("_bulk", 200, """
                {"errors":true,"took":12,"items":[
                {"create":{"_index":"articles","_id":"a1","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},
                {"create":{"_index":"articles","_id":"a2","status":400,"error":{"type":"document_parsing_exception","reason":"[1:1234] failed to parse field [published] of type [date] in document with id 'a2'"}}}]}
                """);

        var rejections = await Store(cluster).Index.WriteAsync(TwoArticles(), Cancel);

        var rejected = Assert.Single(rejections);
        Assert.Equal("a2", rejected.ArticleId);
        Assert.Contains("document_parsing_exception", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(1, cluster.Count("_bulk"));
    }

    [Fact]
    public async Task Items_rejected_with_429_are_retried_until_the_cluster_takes_them()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, NothingFound)
            .Answer("_bulk", 200, """
                {"errors":true,"took":3,"items":[
                {"create":{"_index":"articles","_id":"a1","_seq_no":0,"_primary_term":1,"status":201,"result":"created"}},
                {"create":{"_index":"articles","_id":"a2","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1234, max_coordinating_and_primary_bytes=107374182]"}}}]}
                """)
            .Answer("_bulk", 200, """
                {"errors":false,"took":2,"items":[{"create":{"_index":"articles","_id":"a2","_seq_no":1,"_primary_term":1,"status":201,"result":"created"}}]}
                """);

        var rejections = await Store(cluster).Index.WriteAsync(TwoArticles(), Cancel);

        Assert.Empty(rejections);
        Assert.Equal(2, cluster.Count("_bulk"));
        var retried = cluster.Requests.Where(r => r.Path.Contains("_bulk", StringComparison.Ordinal)).Last().Body;
        Assert.Contains("\"_id\":\"a2\"", retried, StringComparison.Ordinal);
        Assert.DoesNotContain("\"_id\":\"a1\"", retried, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_that_stays_overloaded_fails_the_write_so_the_batch_is_retried_later()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, NothingFound)
            .Answer("_bulk", 429, """{"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution"}],"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}""");

        await Assert.ThrowsAsync<ElasticsearchUnavailableException>(() => Store(cluster).Index.WriteAsync(TwoArticles(), Cancel));
        Assert.Equal(new ElasticsearchOptions().ItemRetryLimit + 1, cluster.Count("_bulk"));
    }

    [Fact]
    public async Task Whole_request_failure_fails_the_write_and_nothing_is_reported_as_written()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, NothingFound)
            .Answer("_bulk", 503, """{"error":{"root_cause":[{"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];"}],"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];"},"status":503}""");

        await Assert.ThrowsAsync<ElasticsearchUnavailableException>(() => Store(cluster).Index.WriteAsync(TwoArticles(), Cancel));
    }

    [Fact]
    public async Task Concurrent_change_409_rereads_and_merges_again_with_the_new_sequence_number()
    {
        var article = Messages.Article("a1");
        var existing = DocumentMerge.Apply(null, "a1", [article]);
        var existingJson = JsonSerializer.Serialize(existing, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, """{"docs":[{"_index":"articles","_id":"a1","found":false}]}""")
            .Answer("_mget", 200, $$$"""{"docs":[{"_index":"articles","_id":"a1","_version":1,"_seq_no":7,"_primary_term":1,"found":true,"_source":{"doc":{{{existingJson}}}}}]}""")
            .Answer("_bulk", 200, """{"errors":true,"items":[{"create":{"_index":"articles","_id":"a1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[a1]: version conflict, document already exists (current version [1])"}}}]}""")
            .Answer("_bulk", 200, """{"errors":false,"items":[{"index":{"_index":"articles","_id":"a1","_seq_no":8,"_primary_term":1,"status":200,"result":"updated"}}]}""");

        var rejections = await Store(cluster).Index.WriteAsync([Messages.Claims(article)], Cancel);

        Assert.Empty(rejections);
        var second = cluster.Requests.Where(r => r.Path.Contains("_bulk", StringComparison.Ordinal)).Last().Body;
        Assert.Contains("\"if_seq_no\":7", second, StringComparison.Ordinal);
        Assert.Contains("\"title\"", second, StringComparison.Ordinal);
        Assert.Contains("\"enricher\":[\"claims\"]", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_the_cluster_cannot_parse_is_a_query_syntax_error()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_search", 400, """{"error":{"root_cause":[{"type":"query_shard_exception","reason":"Failed to parse query [title:(unclosed]","index":"articles"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true},"status":400}""");

        var error = await Assert.ThrowsAsync<QuerySyntaxException>(() => Store(cluster).Search.SearchAsync(new Pipeline.SearchStore.SearchRequest("title:(unclosed"), Cancel));
        // The same sentence as with Lucene, from the query itself; the cluster's reason is not shown.
        Assert.StartsWith("The search text has a problem at character 7 (near \"title:(unclosed\"): this parenthesis is never closed.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to parse query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_template_is_installed_with_a_strict_explicit_mapping_before_the_first_write()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, NothingFound)
            .Answer("_bulk", 200, """{"errors":false,"items":[{"create":{"_id":"a1","status":201}},{"create":{"_id":"a2","status":201}}]}""");

        await Store(cluster).Index.WriteAsync(TwoArticles(), Cancel);

        var template = cluster.Requests.First();
        Assert.Contains("_index_template", template.Path, StringComparison.Ordinal);
        var mappings = JsonDocument.Parse(template.Body).RootElement.GetProperty("template").GetProperty("mappings");
        Assert.Equal("strict", mappings.GetProperty("dynamic").GetString());
        Assert.Equal("keyword", mappings.GetProperty("properties").GetProperty("entity").GetProperty("type").GetString());
    }
}
