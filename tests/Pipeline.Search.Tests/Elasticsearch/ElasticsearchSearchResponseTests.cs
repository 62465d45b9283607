using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Options;
using Pipeline.Indexing.Tests;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;
using SearchRequest = Pipeline.SearchStore.SearchRequest;

namespace Pipeline.Search.Tests.Elasticsearch;

/// <summary>
/// The Elasticsearch read side against a fake cluster (the client's in-memory transport, answers as Elasticsearch 9
/// returns them): the query DSL it sends for the query model, and how it reads hits, highlights, aggregations and
/// cursors back. The behaviour on a real cluster is <see cref="ElasticsearchSearchBehaviour"/>.
/// </summary>
public sealed class ElasticsearchSearchResponseTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static ElasticsearchArticleSearch Search(RecordedElasticsearch cluster)
    {
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), cluster));
        return new ElasticsearchArticleSearch(new ElasticsearchConnection(client, Options.Create(new ElasticsearchOptions())));
    }

    static string Source(string id)
    {
        var article = SearchCorpus.Make(id, "China promised", "Xi Jinping promised.", SearchCorpus.T0, [SearchCorpus.Entities[3]], [("promise", 0.9, "named-person")]);
        var document = DocumentMerge.Apply(null, id, article.Messages());
        return JsonSerializer.Serialize(new { doc = document }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    static JsonNode LastSearchBody(RecordedElasticsearch cluster) =>
        JsonNode.Parse(cluster.Requests.Last(r => r.Path.Contains("_search", StringComparison.Ordinal)).Body)!;

    [Fact]
    public async Task An_index_created_before_fields_joined_the_template_gets_every_field_of_the_template_added()
    {
        // The template is acknowledged, the index exists already (made by an older version), the mapping update is acknowledged.
        var cluster = new RecordedElasticsearch()
            .Answer("_index_template", 200, """{"acknowledged":true}""")
            .Answer("_mapping", 200, """{"acknowledged":true}""")
            .Answer("/articles", 400, """{"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [articles] already exists"}],"type":"resource_already_exists_exception","reason":"index [articles] already exists"},"status":400}""");
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), cluster));

        await new ElasticsearchConnection(client, Options.Create(new ElasticsearchOptions())).EnsureIndexAsync(Cancel);

        var mapping = cluster.Requests.Single(r => r.Path.Contains("/articles/_mapping", StringComparison.Ordinal));
        var properties = JsonNode.Parse(mapping.Body)!["properties"]!.AsObject();
        Assert.Equal("keyword", properties["claim_entity"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", properties["worthy_claims"]!["type"]!.GetValue<string>());
        Assert.Equal("date", properties["indexed"]!["type"]!.GetValue<string>());
        Assert.False(properties["first_indexed"]!["index"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Filters_sort_highlight_and_facets_become_the_equivalent_query_dsl()
    {
        var cluster = new RecordedElasticsearch().Answer("_search", 200, """{"hits":{"total":{"value":0},"hits":[]},"aggregations":{"facet_0":{"buckets":[]},"facet_1":{"buckets":[]}}}""");
        var request = new SearchRequest("\"trade war\"", Size: 5)
        {
            Sort = SearchSort.Newest,
            Filters =
            [
                new TermsFilter("entity", ["Q30", "Q148"], RequireAll: true), new NumberRangeFilter("worthiness", 0.5),
                new TermsFilter("outlet", ["a.example", "b.example"]), new DateRangeFilter("published", SearchCorpus.T0, null),
            ],
            Facets = [new FacetRequest("entity", Size: 7), new FacetRequest("published", Interval: DateInterval.Year)],
        };

        await Search(cluster).SearchAsync(request, Cancel);

        var body = LastSearchBody(cluster);
        Assert.Equal(6, body["size"]!.GetValue<int>());
        Assert.Equal("\"trade war\"", body["query"]!["bool"]!["must"]![0]!["query_string"]!["query"]!.GetValue<string>());
        var filters = body["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        Assert.Equal("""{"term":{"has_article":true}}""", filters[0]);
        Assert.Equal("""{"bool":{"filter":[{"term":{"entity":"Q30"}},{"term":{"entity":"Q148"}}]}}""", filters[1]);
        Assert.Equal("""{"range":{"worthiness":{"gte":0.5}}}""", filters[2]);
        Assert.Equal("""{"terms":{"source":["a.example","b.example"]}}""", filters[3]);
        Assert.Equal($$$$"""{"range":{"published":{"gte":{{{{SearchCorpus.T0.ToUnixTimeMilliseconds()}}}},"format":"epoch_millis"}}}""", filters[4]);
        Assert.Equal("""[{"published":{"order":"desc","missing":0}},{"id":"asc"}]""", body["sort"]!.ToJsonString());
        Assert.Equal("html", body["highlight"]!["encoder"]!.GetValue<string>());
        Assert.Equal("entity", body["aggs"]!["facet_0"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal(7, body["aggs"]!["facet_0"]!["terms"]!["size"]!.GetValue<int>());
        Assert.Equal("year", body["aggs"]!["facet_1"]!["date_histogram"]!["calendar_interval"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pivots_ask_for_their_sides_then_count_exactly_those_cells_and_a_sum_rides_on_the_histogram()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_search", 200, """
                {"hits":{"total":{"value":9},"hits":[]},"aggregations":{
                  "facet_0":{"buckets":[{"key_as_string":"2024-01-15","key":1705276800000,"doc_count":4,"sum":{"value":7.0}},{"key_as_string":"2024-01-16","key":1705363200000,"doc_count":5,"sum":{"value":0.0}}]},
                  "facet_1":{"buckets":[{"key_as_string":"2024-01-15","key":1705276800000,"doc_count":4},{"key_as_string":"2024-01-16","key":1705363200000,"doc_count":5}]},
                  "facet_2":{"buckets":[{"key":"a.example","doc_count":6},{"key":"b.example","doc_count":3}]},
                  "facet_3":{"buckets":[{"key":"Q30","doc_count":5,"label":{"hits":{"hits":[{"_source":{"entity_label":["Q30\u001fUnited States"]}}]}}},{"key":"Q148","doc_count":4}]},
                  "facet_4":{"buckets":[{"key":"Q30","doc_count":5},{"key":"Q148","doc_count":4}]}}}
                """)
            .Answer("_search", 200, """
                {"hits":{"total":{"value":0},"hits":[]},"aggregations":{
                  "pivot_0":{"buckets":[
                    {"key_as_string":"2024-01-15","doc_count":4,"columns":{"buckets":[{"key":"a.example","doc_count":3},{"key":"b.example","doc_count":1}]}},
                    {"key_as_string":"2024-01-16","doc_count":5,"columns":{"buckets":[{"key":"a.example","doc_count":3},{"key":"b.example","doc_count":2}]}}]},
                  "pivot_1":{"buckets":[
                    {"key":"Q30","doc_count":5,"columns":{"buckets":[{"key":"Q30","doc_count":5},{"key":"Q148","doc_count":2}]}},
                    {"key":"Q148","doc_count":4,"columns":{"buckets":[{"key":"Q148","doc_count":4},{"key":"Q30","doc_count":2}]}}]}}}
                """);
        var day = new FacetRequest("published", Interval: DateInterval.Day);
        var request = new SearchRequest("election", Size: 1)
        {
            Filters = [new TermsFilter("claim_type", ["promise"])],
            Facets = [day with { Sum = "worthy_claims" }],
            Pivots = [new PivotRequest(day, new FacetRequest("outlet", 2)), new PivotRequest(new FacetRequest("entity", 2), new FacetRequest("entity", 2))],
            Highlight = false,
        };

        var results = await Search(cluster).SearchAsync(request, Cancel);

        // First request: the asked facet with its sum, then each pivot's two sides as facets.
        var searches = cluster.Requests.Where(r => r.Path.Contains("_search", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(2, searches.Count);
        var first = searches[0]["aggs"]!;
        Assert.Equal("worthy_claims", first["facet_0"]!["aggs"]!["sum"]!["sum"]!["field"]!.GetValue<string>());
        Assert.Equal("day", first["facet_1"]!["date_histogram"]!["calendar_interval"]!.GetValue<string>());
        Assert.Null(first["facet_1"]!["aggs"]);
        Assert.Equal("source", first["facet_2"]!["terms"]!["field"]!.GetValue<string>());

        // Second: no hits, the same query and filters, cells of exactly the values the sides found.
        var second = searches[1];
        Assert.Equal(0, second["size"]!.GetValue<int>());
        Assert.Equal(searches[0]["query"]!.ToJsonString(), second["query"]!.ToJsonString());
        Assert.Equal("""["a.example","b.example"]""", second["aggs"]!["pivot_0"]!["aggs"]!["columns"]!["terms"]!["include"]!.ToJsonString());
        Assert.Equal("""["Q30","Q148"]""", second["aggs"]!["pivot_1"]!["terms"]!["include"]!.ToJsonString());

        Assert.Equal([7L, 0L], results.Facets.Single().Buckets.Select(b => b.Sum!.Value));
        Assert.Equal(2, results.Pivots.Count);
        Assert.Equal([[3L, 1L], [3L, 2L]], results.Pivots[0].Counts.Select(r => r.ToArray()));
        Assert.Equal(["a.example", "b.example"], results.Pivots[0].Columns.Select(c => c.Value));
        Assert.Equal([[5L, 2L], [2L, 4L]], results.Pivots[1].Counts.Select(r => r.ToArray()));
        Assert.Equal("United States", results.Pivots[1].Rows[0].Label);
    }

    [Fact]
    public async Task Hits_highlights_facets_with_labels_and_the_next_cursor_are_read_from_the_answer()
    {
        var cluster = new RecordedElasticsearch().Answer("_search", 200, $$$$"""
            {"took":3,"hits":{"total":{"value":42,"relation":"eq"},"max_score":null,"hits":[
              {"_index":"articles","_id":"a1","_score":2.5,"_source":{{{{Source("a1")}}}},"sort":[2.5,"a1"],"highlight":{"title":["<mark>China</mark> promised"],"text":["Xi &lt;b&gt; <mark>China</mark>"]}},
              {"_index":"articles","_id":"a2","_score":1.5,"_source":{{{{Source("a2")}}}},"sort":[1.5,"a2"]}]},
             "aggregations":{
              "facet_0":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[
                {"key":"Q15031","doc_count":30,"label":{"hits":{"total":{"value":30},"hits":[{"_id":"a1","_source":{"entity_label":["Q148\u001fChina","Q15031\u001fXi Jinping"]}}]}}}]},
              "facet_1":{"buckets":[{"key_as_string":"2024-01","key":1704067200000,"doc_count":12}]}}}
            """);
        var request = new SearchRequest("China", Size: 1) { Facets = [new FacetRequest("entity"), new FacetRequest("published")] };

        var results = await Search(cluster).SearchAsync(request, Cancel);

        Assert.Equal(42, results.Total);
        var hit = Assert.Single(results.Hits);
        Assert.Equal("a1", hit.ArticleId);
        Assert.Equal("<mark>China</mark> promised", hit.TitleHighlight);
        Assert.Equal(["Xi &lt;b&gt; <mark>China</mark>"], hit.Highlights);
        Assert.Equal(0.9, hit.MaxCheckWorthiness);
        Assert.Equal(new FacetBucket("Q15031", 30, "Xi Jinping"), results.Facets[0].Buckets.Single());
        Assert.Equal(new FacetBucket("2024-01", 12), results.Facets[1].Buckets.Single());

        var next = SearchCursor.Decode(results.NextCursor!, SearchSort.Relevance);
        Assert.Equal(("a1", 2.5), (next.ArticleId, next.Value));
    }

    [Fact]
    public async Task A_cursor_becomes_search_after_and_the_last_page_has_no_cursor()
    {
        var cluster = new RecordedElasticsearch().Answer("_search", 200, $$$$"""{"hits":{"total":{"value":3},"hits":[{"_id":"a3","_score":null,"_source":{{{{Source("a3")}}}},"sort":[1704067200000,"a3"]}]}}""");
        var cursor = new SearchCursor(SearchSort.Oldest, 1_700_000_000_000, "a2").Encode();

        var results = await Search(cluster).SearchAsync(new SearchRequest(null, Size: 2) { Sort = SearchSort.Oldest, Cursor = cursor }, Cancel);

        var body = LastSearchBody(cluster);
        Assert.Equal("""[1700000000000,"a2"]""", body["search_after"]!.ToJsonString());
        Assert.Null(body["from"]);
        Assert.Single(results.Hits);
        Assert.Null(results.NextCursor);
    }

    /// <summary>
    /// Tied dates page exactly only when every sort ends with the id and the cursor carries the millisecond the cluster
    /// sorted by: 1704067200123 as a float would be 1704067176448 and repeat or skip the articles of that minute.
    /// </summary>
    [Theory]
    [InlineData(SearchSort.Oldest, "published", "asc")]
    [InlineData(SearchSort.Newest, "published", "desc")]
    [InlineData(SearchSort.Relevance, "_score", "desc")]
    public async Task Every_sort_ends_with_the_id_and_the_next_cursor_holds_the_exact_sort_values(SearchSort sort, string field, string order)
    {
        var value = sort == SearchSort.Relevance ? "0.83472" : "1704067200123";
        var cluster = new RecordedElasticsearch().Answer("_search", 200, $$$$"""
            {"hits":{"total":{"value":3},"hits":[
              {"_id":"a1","_score":0.83472,"_source":{{{{Source("a1")}}}},"sort":[{{{{value}}}},"a1"]},
              {"_id":"a2","_score":0.83472,"_source":{{{{Source("a2")}}}},"sort":[{{{{value}}}},"a2"]}]}}
            """);
        var search = Search(cluster);

        var first = await search.SearchAsync(new SearchRequest("china", Size: 1) { Sort = sort }, Cancel);
        await search.SearchAsync(new SearchRequest("china", Size: 1) { Sort = sort, Cursor = first.NextCursor }, Cancel);

        var body = LastSearchBody(cluster);
        var sortClauses = body["sort"]!.AsArray();
        Assert.Equal(2, sortClauses.Count);
        var primary = sortClauses[0]![field]!;
        Assert.Equal(order, (primary is JsonObject ? primary["order"]! : primary).GetValue<string>());
        Assert.Equal("asc", sortClauses[1]!["id"]!.GetValue<string>());
        Assert.Equal($"[{value},\"a1\"]", body["search_after"]!.ToJsonString());
    }

    [Fact]
    public async Task Suggestions_use_the_normalised_prefix_and_keep_each_entity_once()
    {
        var cluster = new RecordedElasticsearch().Answer("_search", 200, """
            {"hits":{"total":{"value":5},"hits":[]},"aggregations":{"suggest":{"buckets":[
              {"key":"joe biden\u001fQ6279\u001fJoe Biden","doc_count":4},
              {"key":"jose\u001fQ1\u001fJosé","doc_count":1},
              {"key":"joe biden jr\u001fQ6279\u001fJoe Biden","doc_count":2}]}}}
            """);

        var suggestions = await Search(cluster).SuggestEntitiesAsync("  JOE ", 5, Cancel);

        var body = LastSearchBody(cluster);
        Assert.Equal("joe", body["query"]!["bool"]!["filter"]![1]!["prefix"]!["entity_suggest"]!.GetValue<string>());
        Assert.Equal([new EntitySuggestion("Q6279", "Joe Biden", 4), new EntitySuggestion("Q1", "José", 1)], suggestions);
    }

    [Fact]
    public async Task An_emerging_entity_id_is_filtered_faceted_and_suggested_like_a_qid()
    {
        const string Nil = "nil:3f9a1c0b7d2e";
        var cluster = new RecordedElasticsearch()
            .Answer("_search", 200, $$$$"""
                {"hits":{"total":{"value":2},"hits":[]},"aggregations":{"facet_0":{"buckets":[
                  {"key":"{{{{Nil}}}}","doc_count":2,"label":{"hits":{"hits":[{"_id":"a1","_source":{"entity_label":["Q6279\u001fJoe Biden","{{{{Nil}}}}\u001fVolt Harbor Collective"]}}]}}}]}}}
                """)
            .Answer("_search", 200, $$$$"""{"hits":{"total":{"value":2},"hits":[]},"aggregations":{"suggest":{"buckets":[{"key":"harbor collective\u001f{{{{Nil}}}}\u001fVolt Harbor Collective","doc_count":2}]}}}""");
        var request = new SearchRequest(null) { Filters = [new TermsFilter("entity", [Nil, "Q6279"], RequireAll: true)], Facets = [new FacetRequest("entity")] };

        var results = await Search(cluster).SearchAsync(request, Cancel);
        var filters = LastSearchBody(cluster)["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        var suggestions = await Search(cluster).SuggestEntitiesAsync("Harb", 5, Cancel);

        Assert.Equal($$$"""{"bool":{"filter":[{"term":{"entity":"{{{Nil}}}"}},{"term":{"entity":"Q6279"}}]}}""", filters[1]);
        Assert.Equal(new FacetBucket(Nil, 2, "Volt Harbor Collective"), results.Facets[0].Buckets.Single());
        Assert.Equal("harb", LastSearchBody(cluster)["query"]!["bool"]!["filter"]![1]!["prefix"]!["entity_suggest"]!.GetValue<string>());
        var suggestion = Assert.Single(suggestions);
        Assert.Equal(new EntitySuggestion(Nil, "Volt Harbor Collective", 2), suggestion);
        Assert.False(suggestion.InKb);
    }

    [Fact]
    public async Task Enrichment_fields_filter_and_facet_on_the_exact_field_the_mapping_has()
    {
        // As GET {index}/_mapping/field/… answers: status is a keyword, verdict is text with a keyword sub-field.
        var cluster = new RecordedElasticsearch()
            .Answer("_mapping/field", 200, """
                {"articles":{"mappings":{
                  "enrichment.fact-checks.status":{"full_name":"enrichment.fact-checks.status","mapping":{"status":{"type":"keyword","ignore_above":8191,"meta":{"uses":"filterable,facetable"}}}},
                  "enrichment.fact-checks.verdict":{"full_name":"enrichment.fact-checks.verdict","mapping":{"verdict":{"type":"text","analyzer":"english","meta":{"uses":"searchable,filterable"}}}},
                  "enrichment.fact-checks.verdict.keyword":{"full_name":"enrichment.fact-checks.verdict.keyword","mapping":{"keyword":{"type":"keyword","ignore_above":8191}}}}}}
                """)
            .Answer("_search", 200, """{"hits":{"total":{"value":0},"hits":[]},"aggregations":{"facet_0":{"buckets":[{"key":"matched","doc_count":4},{"key":"no-match","doc_count":2}]}}}""");
        var request = new SearchRequest(null)
        {
            Filters = [new TermsFilter("enrichment.fact-checks.status", ["matched", "no-match"]), new TermsFilter("enrichment.fact-checks.verdict", ["False"])],
            Facets = [new FacetRequest("enrichment.fact-checks.status", Size: 5)],
        };

        var results = await Search(cluster).SearchAsync(request, Cancel);

        var lookup = cluster.Requests.Single(r => r.Path.Contains("_mapping/field", StringComparison.Ordinal)).Path;
        Assert.Contains("enrichment.fact-checks.status,enrichment.fact-checks.status.keyword,enrichment.fact-checks.verdict,enrichment.fact-checks.verdict.keyword", lookup, StringComparison.Ordinal);
        var body = LastSearchBody(cluster);
        var filters = body["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        Assert.Equal("""{"terms":{"enrichment.fact-checks.status":["matched","no-match"]}}""", filters[1]);
        Assert.Equal("""{"terms":{"enrichment.fact-checks.verdict.keyword":["False"]}}""", filters[2]);
        Assert.Equal("enrichment.fact-checks.status", body["aggs"]!["facet_0"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal(5, body["aggs"]!["facet_0"]!["terms"]!["size"]!.GetValue<int>());
        Assert.Equal([new FacetBucket("matched", 4), new FacetBucket("no-match", 2)], Assert.Single(results.Facets).Buckets);
    }

    [Fact]
    public async Task An_enrichment_field_the_mapping_does_not_have_is_refused_naming_it()
    {
        // A text-only field (searchable, never filterable), a filterable field not declared facetable, and a field no enricher declared.
        var cluster = new RecordedElasticsearch().Answer("_mapping/field", 200, """
            {"articles":{"mappings":{
              "enrichment.fact-checks.claim":{"full_name":"enrichment.fact-checks.claim","mapping":{"claim":{"type":"text","meta":{"uses":"searchable"}}}},
              "enrichment.fact-checks.verdict":{"full_name":"enrichment.fact-checks.verdict","mapping":{"verdict":{"type":"keyword","meta":{"uses":"filterable"}}}}}}}
            """);

        var claim = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => Search(cluster).SearchAsync(new SearchRequest(null) { Filters = [new TermsFilter("enrichment.fact-checks.claim", ["x"])] }, Cancel));
        var unknown = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => Search(cluster).SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("enrichment.sentiment.label")] }, Cancel));

        var notFacetable = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => Search(cluster).SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("enrichment.fact-checks.verdict")] }, Cancel));

        Assert.Equal("enrichment.fact-checks.claim", claim.Parameter);
        Assert.Equal("facet", unknown.Parameter);
        Assert.Equal("facet", notFacetable.Parameter);
        Assert.Contains("facetable", notFacetable.Message, StringComparison.Ordinal);
        Assert.Equal(0, cluster.Count("_search"));
    }

    [Fact]
    public async Task An_invalid_request_is_refused_before_anything_is_sent()
    {
        var cluster = new RecordedElasticsearch();

        var error = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => Search(cluster).SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("colour")] }, Cancel));

        Assert.Equal("facet", error.Parameter);
        Assert.Equal(0, cluster.Count("_search"));
    }
}
