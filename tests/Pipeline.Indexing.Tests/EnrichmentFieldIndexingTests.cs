using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Lucene.Net.Analysis.En;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Indexing.Tests;

/// <summary>
/// Fields an enricher declares (searchable, filterable, facetable) are indexed by the stores without any code that knows
/// the enricher: here a made-up "credibility" enricher the product has never heard of.
/// </summary>
public sealed class EnrichmentFieldIndexingTests : IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static readonly EnrichmentField[] CredibilityFields =
    [
        new() { Name = "rating", Path = "rating", Uses = EnrichmentFieldUses.Filterable | EnrichmentFieldUses.Facetable },
        new() { Name = "notes", Path = "reviews.note", Uses = EnrichmentFieldUses.Searchable },
        new() { Name = "tag", Path = "reviews.tags", Uses = EnrichmentFieldUses.Searchable | EnrichmentFieldUses.Filterable },
    ];

    readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("pipeline-index-");
    readonly List<IndexReader> _readers = [];

    static ArticleEnriched Credibility(ArticleIngested article, string rating, string note, string[] tags, IReadOnlyList<EnrichmentField>? fields = null, string version = "1.0.0") =>
        EnrichmentPayloads.Create("credibility", version, article, new { rating, ignored = "secret-value", reviews = new[] { new { note, tags } } }, Messages.T0.AddSeconds(5))
            with
        { Fields = fields ?? CredibilityFields };

    async Task<IndexSearcher> IndexAsync(params IArticleMessage[] messages)
    {
        using var index = new LuceneArticleIndex(Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName }));
        Assert.Empty(await index.WriteAsync(messages, Cancel));
        var reader = DirectoryReader.Open(FSDirectory.Open(_directory.FullName));
        _readers.Add(reader);
        return new IndexSearcher(reader);
    }

    static string[] Ids(IndexSearcher searcher, Query query) =>
        [.. searcher.Search(query, 10).ScoreDocs.Select(d => LuceneFields.FromLucene(searcher.Doc(d.Doc)).ArticleId).Order(StringComparer.Ordinal)];

    static IArticleMessage[] ThreeArticles()
    {
        var (a, b, c) = (Messages.Article("a"), Messages.Article("b"), Messages.Article("c"));
        return
        [
            a, Credibility(a, "low", "The outlet repeatedly published fabricated quotes.", ["satire-site"]),
            b, Credibility(b, "low", "Known for misleading headlines.", ["clickbait"]),
            c, Credibility(c, "high", "A newspaper of record with corrections policy.", ["newspaper"]),
        ];
    }

    [Fact]
    public async Task A_filterable_field_filters_by_its_exact_value()
    {
        var searcher = await IndexAsync(ThreeArticles());
        var rating = CredibilityFields[0];

        Assert.Equal(["a", "b"], Ids(searcher, EnrichmentFieldIndexing.Filter("credibility", rating, "low")));
        Assert.Equal(["c"], Ids(searcher, EnrichmentFieldIndexing.Filter("credibility", rating, "high")));
        Assert.Empty(Ids(searcher, EnrichmentFieldIndexing.Filter("credibility", rating, "Low")));
    }

    [Fact]
    public async Task A_searchable_field_matches_words_with_stemming_and_a_field_both_searchable_and_filterable_has_an_exact_companion()
    {
        var searcher = await IndexAsync(ThreeArticles());
        var parser = new QueryParser(LuceneVersion.LUCENE_48, "enrichment.credibility.notes", new EnglishAnalyzer(LuceneVersion.LUCENE_48));

        Assert.Equal(["a"], Ids(searcher, parser.Parse("fabricate")));
        Assert.Equal(["b"], Ids(searcher, parser.Parse("\"misleading headline\"")));
        Assert.Equal(["a"], Ids(searcher, EnrichmentFieldIndexing.Filter("credibility", CredibilityFields[2], "satire-site")));
        Assert.Equal("enrichment.credibility.tag.keyword", EnrichmentFieldValues.ExactFieldName("credibility", CredibilityFields[2]));
    }

    [Fact]
    public async Task A_facetable_field_counts_its_values_over_the_matching_articles()
    {
        var searcher = await IndexAsync(ThreeArticles());

        var all = EnrichmentFieldIndexing.Facet(searcher, new MatchAllDocsQuery(), "enrichment.credibility.rating", 10);
        var onlyC = EnrichmentFieldIndexing.Facet(searcher, new TermQuery(new Term(LuceneFields.Id, "c")), "enrichment.credibility.rating", 10);

        Assert.Equal([new("low", 2L), new("high", 1L)], all);
        Assert.Equal([new("high", 1L)], onlyC);
    }

    [Fact]
    public async Task Undeclared_payload_properties_are_stored_but_not_indexed_and_a_newer_version_replaces_the_declaration()
    {
        var a = Messages.Article("a");
        var renamed = new EnrichmentField[] { new() { Name = "grade", Path = "rating", Uses = EnrichmentFieldUses.Filterable } };

        var searcher = await IndexAsync(a, Credibility(a, "low", "x", []), Credibility(a, "low", "x", [], renamed, version: "2.0.0"));

        Assert.Empty(Ids(searcher, new TermQuery(new Term("enrichment.credibility.ignored", "secret-value"))));
        Assert.Empty(Ids(searcher, EnrichmentFieldIndexing.Filter("credibility", CredibilityFields[0], "low")));
        Assert.Equal(["a"], Ids(searcher, EnrichmentFieldIndexing.Filter("credibility", renamed[0], "low")));
        var stored = LuceneFields.FromLucene(searcher.Doc(searcher.Search(new MatchAllDocsQuery(), 1).ScoreDocs[0].Doc));
        Assert.Equal("secret-value", stored.Enrichments["credibility"].Payload.GetProperty("ignored").GetString());
    }

    [Fact]
    public async Task Elasticsearch_gets_an_explicit_mapping_for_each_declared_field_and_the_values_under_enrichment()
    {
        var cluster = new RecordedElasticsearch()
            .Answer("_mget", 200, """{"docs":[{"_index":"x","_id":"a","found":false}]}""")
            .Answer("_bulk", 200, """{"errors":false,"took":1,"items":[{"create":{"_index":"x","_id":"a","_seq_no":0,"_primary_term":1,"status":201,"result":"created"}}]}""");
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), cluster));
        var indexName = "articles-" + Guid.NewGuid().ToString("N");
        var index = new ElasticsearchArticleIndex(new ElasticsearchConnection(client, Options.Create(new ElasticsearchOptions { IndexName = indexName })), TimeProvider.System);
        var a = Messages.Article("a");

        Assert.Empty(await index.WriteAsync([a, Credibility(a, "low", "Fabricated quotes.", ["satire-site"])], Cancel));

        var mappings = cluster.Requests.Where(r => r.Path.StartsWith($"/{indexName}/_mapping", StringComparison.Ordinal)).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var fields = mappings.Last().GetProperty("properties").GetProperty("enrichment").GetProperty("properties").GetProperty("credibility").GetProperty("properties");
        Assert.Equal("keyword", fields.GetProperty("rating").GetProperty("type").GetString());
        Assert.Equal("text", fields.GetProperty("notes").GetProperty("type").GetString());
        Assert.False(fields.GetProperty("notes").TryGetProperty("fields", out _));
        Assert.Equal("keyword", fields.GetProperty("tag").GetProperty("fields").GetProperty("keyword").GetProperty("type").GetString());

        // The declared uses ride in the mapping's meta: the search side refuses a facet on a field not declared facetable.
        Assert.Equal("filterable,facetable", fields.GetProperty("rating").GetProperty("meta").GetProperty("uses").GetString());
        Assert.Equal("searchable,filterable", fields.GetProperty("tag").GetProperty("meta").GetProperty("uses").GetString());
        var document = JsonDocument.Parse(cluster.Requests.Single(r => r.Path.Contains("_bulk", StringComparison.Ordinal)).Body.Split('\n')[1]).RootElement;
        Assert.Equal("low", document.GetProperty("enrichment").GetProperty("credibility").GetProperty("rating")[0].GetString());
        Assert.False(document.GetProperty("enrichment").GetProperty("credibility").TryGetProperty("ignored", out _));

        // Mapped once per process and index: the next write does not ask again.
        await index.WriteAsync([Credibility(a, "high", "x", [])], Cancel);
        Assert.Equal(mappings.Count, cluster.Requests.Count(r => r.Path.StartsWith($"/{indexName}/_mapping", StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        _readers.ForEach(r => r.Dispose());
        _directory.Delete(recursive: true);
    }
}
