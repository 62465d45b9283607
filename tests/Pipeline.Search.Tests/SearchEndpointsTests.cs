using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Search.Tests;

/// <summary>The query model over HTTP: filters and facets from the query string, 400s naming the parameter, the entity page, suggestions, the page itself.</summary>
public sealed partial class SearchEndpointsTests(SearchServiceFixture service) : IClassFixture<SearchServiceFixture>
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    HttpClient Client => service.Client;

    [Theory]
    [InlineData("/search?entity=Q30&worthiness=0.5")]
    [InlineData("/search?entity=Q30&worthiness>=0.5")]
    public async Task Entity_with_check_worthy_claims_is_one_query_in_the_url(string url)
    {
        var results = await Client.GetFromJsonAsync<JsonElement>(url, Cancel);

        var expected = service.Corpus.Where(a => a.Qids.Contains("Q30") && a.MaxWorthiness >= 0.5).Select(a => a.Article.ArticleId).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, results.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Filters_and_facets_come_from_the_query_string_with_exact_counts()
    {
        var results = await Client.GetFromJsonAsync<JsonElement>("/search?claim_type=accusation,causal&language=en&facet=outlet&facet=published&interval=year&size=1", Cancel);

        var matching = service.Corpus.Where(a => a.Article.Language == "en" && a.Claims.Any(c => c.Type is "accusation" or "causal")).ToList();
        Assert.Equal(matching.Count, results.GetProperty("total").GetInt64());
        var outlets = results.GetProperty("facets")[0].GetProperty("buckets").EnumerateArray().ToDictionary(b => b.GetProperty("value").GetString()!, b => b.GetProperty("count").GetInt64());
        Assert.Equal(matching.GroupBy(a => a.Article.Source!).ToDictionary(g => g.Key, g => (long)g.Count()), outlets);
        var years = results.GetProperty("facets")[1].GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64());
        Assert.Equal(matching.Count(a => a.Article.PublishedAt is not null), years);
    }

    [Fact]
    public async Task Enricher_declared_fields_filter_by_their_own_parameter_and_facet_with_exact_counts()
    {
        var results = await Client.GetFromJsonAsync<JsonElement>("/search?enrichment.fact-checks.status=matched&language=en&facet=enrichment.fact-checks.id&facet=enrichment.fact-checks.status&size=1", Cancel);

        var matching = service.Corpus.Where(a => a.Article.Language == "en" && service.FactChecks.GetValueOrDefault(a.Article.ArticleId).Status == "matched").ToList();
        Assert.NotEmpty(matching);
        Assert.Equal(matching.Count, results.GetProperty("total").GetInt64());
        var facets = results.GetProperty("facets");
        Assert.Equal("enrichment.fact-checks.id", facets[0].GetProperty("field").GetString());
        var ids = facets[0].GetProperty("buckets").EnumerateArray().ToDictionary(b => b.GetProperty("value").GetString()!, b => b.GetProperty("count").GetInt64());
        Assert.Equal(matching.GroupBy(a => service.FactChecks[a.Article.ArticleId].Id!).ToDictionary(g => g.Key, g => (long)g.Count()), ids);
        Assert.Equal(matching.Count, Assert.Single(facets[1].GetProperty("buckets").EnumerateArray()).GetProperty("count").GetInt64());

        var either = await Client.GetFromJsonAsync<JsonElement>("/search?enrichment.fact-checks.status=matched,no-match&size=1", Cancel);
        Assert.Equal(service.FactChecks.Count, either.GetProperty("total").GetInt64());
        var inQuery = await Client.GetFromJsonAsync<JsonElement>("/search?q=enrichment.fact-checks.status:no-match&size=1", Cancel);
        Assert.Equal(service.FactChecks.Count(f => f.Value.Status == "no-match"), inQuery.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Next_cursor_continues_the_listing()
    {
        var first = await Client.GetFromJsonAsync<JsonElement>("/search?sort=newest&size=5", Cancel);
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await Client.GetFromJsonAsync<JsonElement>($"/search?sort=newest&size=5&cursor={Uri.EscapeDataString(cursor)}", Cancel);
        var both = await Client.GetFromJsonAsync<JsonElement>("/search?sort=newest&size=10", Cancel);

        var ids = (JsonElement r) => r.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("articleId").GetString());
        Assert.Equal(ids(both), ids(first).Concat(ids(second)));
    }

    [Theory]
    [InlineData("/search?q=title:(unclosed", "q")]
    [InlineData("/search?q=%22open", "q")]
    [InlineData("/search?cursor=garbage", "cursor")]
    [InlineData("/search?worthiness=1.5", "worthiness")]
    [InlineData("/search?worthiness>=x", "worthiness")]
    [InlineData("/search?sort=random", "sort")]
    [InlineData("/search?published_from=yesterday", "published_from")]
    [InlineData("/search?facet=colour", "facet")]
    [InlineData("/search?enrichment.fact-checks.colour=red", "enrichment.fact-checks.colour")]
    [InlineData("/search?enrichment.fact-checks.claim=red", "enrichment.fact-checks.claim")]
    [InlineData("/search?enrichment.fact-checks=matched", "enrichment.fact-checks")]
    [InlineData("/search?enrichment.fact-checks.status=", "enrichment.fact-checks.status")]
    [InlineData("/search?facet=enrichment.fact-checks.claim", "facet")]
    [InlineData("/search?facet=enrichment.nobody.status", "facet")]
    [InlineData("/search?interval=week&facet=published", "interval")]
    [InlineData("/search?from=9999&size=10", "from")]
    [InlineData("/search?from=-1", "from")]
    [InlineData("/search?size=0", "size")]
    [InlineData("/search?size=1000", "size")]
    [InlineData("/search?size=ten", "size")]
    [InlineData("/search?from=first", "from")]
    [InlineData("/search?facet=entity&facet_size=many", "facet_size")]
    [InlineData("/search?worthiness=high", "worthiness")]
    [InlineData("/search?highlight=maybe", "highlight")]
    [InlineData("/suggest/entities", "prefix")]
    [InlineData("/suggest/entities?prefix=jin&size=all", "size")]
    [InlineData("/entities/Q30?interval=fortnight", "interval")]
    [InlineData("/entities/Q30?worthiness=high", "worthiness")]
    [InlineData("/entities/Q30?worthiness=2", "worthiness")]
    public async Task Invalid_requests_are_400_problems_naming_the_parameter(string url, string parameter)
    {
        var response = await Client.GetAsync(url, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Highlight_false_leaves_hits_unmarked_and_facet_size_limits_the_buckets()
    {
        var marked = await Client.GetFromJsonAsync<JsonElement>("/search?q=Jinping&facet=entity&facet_size=2", Cancel);
        var plain = await Client.GetFromJsonAsync<JsonElement>("/search?q=Jinping&highlight=false&facet=entity&facet_size=2", Cancel);

        var fragments = (JsonElement results) => results.GetProperty("hits").EnumerateArray().SelectMany(h => h.GetProperty("highlights").EnumerateArray()).Select(f => f.GetString()!).ToList();
        Assert.Contains(fragments(marked), f => f.Contains("<mark>", StringComparison.Ordinal));
        Assert.Empty(fragments(plain));
        Assert.Equal(marked.GetProperty("total").GetInt64(), plain.GetProperty("total").GetInt64());
        Assert.Equal(2, plain.GetProperty("facets")[0].GetProperty("buckets").GetArrayLength());
    }

    [Fact]
    public async Task Article_view_has_claims_and_entities_whose_offsets_point_into_the_text()
    {
        var article = await Client.GetFromJsonAsync<JsonElement>("/articles/xi-promise", Cancel);

        var text = article.GetProperty("article").GetProperty("text").GetString()!;
        var claims = article.GetProperty("claims").EnumerateArray().ToList();
        var entities = article.GetProperty("entities").EnumerateArray().ToList();
        Assert.Equal(3, claims.Count);
        Assert.Equal(3, entities.Count);
        Assert.All(claims.Concat(entities), span =>
            Assert.Equal(span.GetProperty("text").GetString(), text[span.GetProperty("start").GetInt32()..span.GetProperty("end").GetInt32()]));
        Assert.Equal("named-person", claims[0].GetProperty("attribution").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_emerging_entity_has_its_page_filter_facet_and_suggestion_marked_not_in_the_kb()
    {
        var nil = Uri.EscapeDataString(Behaviour.SearchCorpus.VoltHarbor.Qid);

        var page = await Client.GetFromJsonAsync<JsonElement>($"/entities/{nil}", Cancel);
        var search = await Client.GetFromJsonAsync<JsonElement>($"/search?entity={nil}&facet=entity", Cancel);
        var suggestions = await Client.GetFromJsonAsync<JsonElement>("/suggest/entities?prefix=volt", Cancel);

        Assert.Equal(Behaviour.SearchCorpus.VoltHarbor.Qid, page.GetProperty("qid").GetString());
        Assert.Equal("Volt Harbor Collective", page.GetProperty("label").GetString());
        Assert.False(page.GetProperty("inKb").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("wikidataUrl").ValueKind);
        Assert.Equal(1, page.GetProperty("articles").GetInt64());
        Assert.Equal("accusation", Assert.Single(page.GetProperty("claims").EnumerateArray()).GetProperty("claim").GetProperty("type").GetString());
        Assert.Equal(["volt-harbor"], search.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("articleId").GetString()));
        Assert.Contains(search.GetProperty("facets")[0].GetProperty("buckets").EnumerateArray(), b => b.GetProperty("value").GetString() == Behaviour.SearchCorpus.VoltHarbor.Qid && b.GetProperty("label").GetString() == "Volt Harbor Collective");
        var suggestion = Assert.Single(suggestions.EnumerateArray());
        Assert.False(suggestion.GetProperty("inKb").GetBoolean());
        Assert.True((await Client.GetFromJsonAsync<JsonElement>("/entities/Q15031", Cancel)).GetProperty("inKb").GetBoolean());
    }

    [Fact]
    public async Task Entity_page_counts_articles_over_time_and_lists_claims_that_mention_the_entity()
    {
        var page = await Client.GetFromJsonAsync<JsonElement>("/entities/Q15031?worthiness=0.5", Cancel);

        var expected = service.Corpus.Where(a => a.Qids.Contains("Q15031") && a.MaxWorthiness >= 0.5).ToList();
        Assert.Equal(expected.Count, page.GetProperty("articles").GetInt64());
        Assert.Equal("Xi Jinping", page.GetProperty("label").GetString());
        Assert.Equal("https://www.wikidata.org/wiki/Q15031", page.GetProperty("wikidataUrl").GetString());
        Assert.Equal(expected.Count(a => a.Article.PublishedAt is not null), page.GetProperty("timeline").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        var claims = page.GetProperty("claims").EnumerateArray().ToList();
        Assert.NotEmpty(claims);
        Assert.All(claims, c =>
        {
            var article = service.Corpus.Single(a => a.Article.ArticleId == c.GetProperty("articleId").GetString());
            var claim = c.GetProperty("claim");
            Assert.True(claim.GetProperty("checkWorthiness").GetDouble() >= 0.5);
            Assert.Contains(article.Mentions, m => m.Qid == "Q15031" && m.Start >= claim.GetProperty("start").GetInt32() && m.End <= claim.GetProperty("end").GetInt32());
        });
    }

    [Fact]
    public async Task Suggestions_complete_entity_names_present_in_the_index()
    {
        var suggestions = await Client.GetFromJsonAsync<JsonElement>("/suggest/entities?prefix=jin", Cancel);

        var xi = Assert.Single(suggestions.EnumerateArray());
        Assert.Equal("Q15031", xi.GetProperty("qid").GetString());
        Assert.Equal(service.Corpus.Count(a => a.Qids.Contains("Q15031")), xi.GetProperty("articles").GetInt64());
    }

    [Fact]
    public async Task Analyst_page_is_served_and_loads_nothing_from_another_host()
    {
        var html = await Client.GetStringAsync("/", Cancel);
        var script = await Client.GetStringAsync("/app.js", Cancel);
        var css = await Client.GetStringAsync("/app.css", Cancel);

        Assert.Contains("<form id=\"search-form\" role=\"search\">", html, StringComparison.Ordinal);
        Assert.Empty(ExternalAsset().Matches(html));
        Assert.DoesNotContain("@import", css, StringComparison.Ordinal);
        Assert.DoesNotContain("import ", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/search", "/articles/{id}", "/entities/{qid}", "/suggest/entities" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var parameters = paths.GetProperty("/search").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("claim_type", parameters);
        Assert.Contains("cursor", parameters);
    }

    [GeneratedRegex("""(src|href)="(https?:)?//""")]
    private static partial Regex ExternalAsset();
}
