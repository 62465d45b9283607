using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Indexing.Tests;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;
using Pipeline.SearchStore.Lucene;
using SearchRequest = Pipeline.SearchStore.SearchRequest;

namespace Pipeline.Search.Tests.Watches;

/// <summary>
/// The store's write time of each document (<see cref="SearchFields.Indexed"/>), what watches find new articles by:
/// stamped by the store at every write, filterable as a date, outside the stored source and the merge.
/// </summary>
public sealed class IndexedTimeTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-indexed-");

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static CorpusArticle Article(string id) =>
        SearchCorpus.Make(id, $"Report {id}", "A report about the vaccine.", SearchCorpus.T0, [SearchCorpus.Entities[0]], [(ClaimTypes.Accusation, 0.8, null)]);

    static SearchRequest IndexedFrom(DateTimeOffset from) => new(null, Size: 100) { Filters = [new DateRangeFilter(SearchFields.Indexed.Name, from, null)] };

    [Fact]
    public async Task Lucene_stamps_every_write_keeps_when_the_article_first_became_searchable_and_leaves_the_source_alone()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName });
        using var index = new LuceneArticleIndex(options) { Clock = clock };
        using var search = new LuceneArticleSearch(options);
        var first = Article("first");
        var second = Article("second");
        var t1 = clock.GetUtcNow();
        Assert.Empty(await index.WriteAsync([first.Article, second.Article], Cancel));
        clock.Advance(TimeSpan.FromMinutes(1));
        var t2 = clock.GetUtcNow();
        Assert.Empty(await index.WriteAsync([.. first.Messages().Skip(1)], Cancel));

        var all = await search.SearchAsync(IndexedFrom(t1), Cancel);
        var later = await search.SearchAsync(IndexedFrom(t2), Cancel);

        Assert.Equal(2, all.Total);
        Assert.Equal(["first"], later.Hits.Select(h => h.ArticleId));
        Assert.Equal(t2, later.Hits[0].IndexedAt);
        Assert.Equal(t1, all.Hits.Single(h => h.ArticleId == "second").IndexedAt);
        var document = await search.GetAsync("first", Cancel);
        Assert.Equal(t2, document!.IndexedAt);
        Assert.Equal(t1, document.FirstIndexedAt);
        Assert.Equal(t1, later.Hits[0].FirstIndexedAt);
        Assert.DoesNotContain("indexed", JsonSerializer.Serialize(document), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Indexed_is_a_filter_not_a_facet()
    {
        var facet = Assert.Throws<InvalidSearchRequestException>(() =>
            SearchRequestValidation.Validate(new SearchRequest(null) { Facets = [new FacetRequest(SearchFields.Indexed.Name)] }));
        var asNumber = Assert.Throws<InvalidSearchRequestException>(() =>
            SearchRequestValidation.Validate(new SearchRequest(null) { Filters = [new NumberRangeFilter(SearchFields.Indexed.Name, 1)] }));

        Assert.Equal("facet", facet.Parameter);
        Assert.Equal("indexed", asNumber.Parameter);
        SearchRequestValidation.Validate(IndexedFrom(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task Elasticsearch_writes_indexed_beside_doc_and_filters_it_as_an_epoch_millis_range()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var stamped = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var source = JsonNode.Parse(JsonSerializer.Serialize(new { doc = DocumentMerge.Apply(null, "a", [Article("a").Article]) }, new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
        source["indexed"] = stamped;
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, """{"docs":[{"_index":"x","_id":"a","found":false}]}""")
            .Answer("_bulk", 200, """{"errors":false,"took":1,"items":[{"create":{"_index":"x","_id":"a","_seq_no":0,"_primary_term":1,"status":201,"result":"created"}}]}""")
            .Answer("_search", 200, $$$"""{"hits":{"total":{"value":1},"hits":[{"_id":"a","_score":1.0,"_source":{{{source.ToJsonString()}}},"sort":[1.0,"a"]}]}}""");
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), cluster));
        var connection = new ElasticsearchConnection(client, Options.Create(new ElasticsearchOptions()));
        var index = new ElasticsearchArticleIndex(connection, clock);

        Assert.Empty(await index.WriteAsync([Article("a").Article], Cancel));
        var found = await new ElasticsearchArticleSearch(connection).SearchAsync(IndexedFrom(clock.GetUtcNow()), Cancel);

        var written = JsonNode.Parse(cluster.Requests.Single(r => r.Path.Contains("_bulk", StringComparison.Ordinal)).Body.Split('\n')[1])!;
        Assert.Equal(stamped, written["indexed"]!.GetValue<long>());
        Assert.Null(written["doc"]!["indexed"]);
        var body = JsonNode.Parse(cluster.Requests.Last(r => r.Path.Contains("_search", StringComparison.Ordinal)).Body)!;
        Assert.Contains("{\"range\":{\"indexed\":{\"gte\":" + stamped + ",\"format\":\"epoch_millis\"}}}", body["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()));
        Assert.Equal("""["doc","indexed","first_indexed"]""", body["_source"]!.ToJsonString());
        Assert.Equal(stamped, written["first_indexed"]!.GetValue<long>());
        Assert.Equal(clock.GetUtcNow(), found.Hits.Single().IndexedAt);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
