using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Search.Tests.Behaviour;

/// <summary>
/// What the query model means, run against each store: the embedded Lucene store always, Elasticsearch when
/// ELASTICSEARCH_URL points at a cluster (skipped otherwise). Expectations are computed by brute force from the
/// corpus the test wrote, never copied from a store's answer.
/// </summary>
public abstract class SearchBehaviourSuite : IAsyncDisposable
{
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty store for one test; Elasticsearch skips the test here when no cluster is configured.</summary>
    protected abstract Task<(IArticleIndex Index, IArticleSearch Search)> OpenAsync();

    /// <summary>Makes acknowledged writes visible to search.</summary>
    protected virtual Task RefreshAsync() => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    static readonly (string, string, string) Us = SearchCorpus.Entities[0];
    static readonly (string, string, string) China = SearchCorpus.Entities[1];
    static readonly (string, string, string) Biden = SearchCorpus.Entities[2];
    static readonly (string, string, string) Xi = SearchCorpus.Entities[3];

    async Task<IArticleSearch> WithAsync(IEnumerable<CorpusArticle> articles, int batch = 100)
    {
        var (index, search) = await OpenAsync();
        foreach (var chunk in articles.Chunk(batch))
        {
            // Several writes, so the Lucene index has several segments to count across.
            Assert.Empty(await index.WriteAsync([.. chunk.SelectMany(a => a.Messages())], Cancel));
        }

        await RefreshAsync();
        return search;
    }

    static SearchRequest All(params SearchFilter[] filters) => new(null, Size: 100) { Filters = filters };

    static List<string> Ids(SearchResults results) => [.. results.Hits.Select(h => h.ArticleId).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_match_in_the_title_ranks_above_the_same_match_in_the_text()
    {
        var search = await WithAsync([
            SearchCorpus.Make("in-text", "Weekly roundup", "The tariff debate went on for hours in the chamber today.", SearchCorpus.T0, [], []),
            SearchCorpus.Make("in-title", "Tariff debate", "Lawmakers talked for hours in the chamber today about many things.", SearchCorpus.T0, [], []),
        ]);

        var results = await search.SearchAsync(new SearchRequest("tariff"), Cancel);

        Assert.Equal(["in-title", "in-text"], results.Hits.Select(h => h.ArticleId));
    }

    [Fact]
    public async Task A_phrase_matches_the_words_in_order_only()
    {
        var search = await WithAsync([
            SearchCorpus.Make("phrase", "One", "The trade war escalated quickly.", SearchCorpus.T0, [], []),
            SearchCorpus.Make("scattered", "Two", "The war over trade rules escalated quickly.", SearchCorpus.T0, [], []),
        ]);

        Assert.Equal(["phrase"], Ids(await search.SearchAsync(new SearchRequest("\"trade war\""), Cancel)));
        Assert.Equal(["phrase", "scattered"], Ids(await search.SearchAsync(new SearchRequest("trade war"), Cancel)));
    }

    [Theory]
    [InlineData("title:(unclosed", "character 7 ", "parenthesis is never closed")]
    [InlineData("\"open phrase", "character 1 ", "quote is never closed")]
    [InlineData("AND OR", "character 5 ", "OR needs a word after it")]
    [InlineData("election)", "character 9 ", "closing parenthesis has no opening one")]
    [InlineData("vaccine AND", "character 9 ", "AND needs a word after it")]
    [InlineData("vaccine title:", "character 9 ", "field title needs a value right after the colon")]
    [InlineData("a/b", "character 2 ", "regular expression that never ends")]
    [InlineData("price [10 TO", "character 7 ", "starts a range")]
    [InlineData("fake news)) (", "character 10 ", "closing parenthesis has no opening one")]
    public async Task A_query_syntax_error_is_an_invalid_q_read_as_a_sentence_naming_the_position(string query, string position, string problem)
    {
        var search = await WithAsync([SearchCorpus.Make("a", "A", "Text.", SearchCorpus.T0, [], [])]);

        var error = await Assert.ThrowsAsync<QuerySyntaxException>(() => search.SearchAsync(new SearchRequest(query), Cancel));
        Assert.Equal("q", error.Parameter);
        Assert.StartsWith("The search text has a problem at " + position, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Encountered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entity_and_worthiness_together_need_the_same_article_to_have_both()
    {
        var search = await WithAsync([
            SearchCorpus.Make("entity-only", "A", "Text.", SearchCorpus.T0, [Us], [(ClaimTypes.Quantitative, 0.2, null)]),
            SearchCorpus.Make("worthy-only", "B", "Text.", SearchCorpus.T0, [China], [(ClaimTypes.Quantitative, 0.9, null)]),
            SearchCorpus.Make("both", "C", "Text.", SearchCorpus.T0, [China, Us], [(ClaimTypes.Causal, 0.1, null), (ClaimTypes.Quantitative, 0.8, null)]),
            SearchCorpus.Make("no-claims", "D", "Text.", SearchCorpus.T0, [Us], []),
        ]);

        var results = await search.SearchAsync(All(new TermsFilter("entity", ["Q30"]), new NumberRangeFilter("worthiness", 0.5)), Cancel);

        Assert.Equal(["both"], Ids(results));
        Assert.Equal(["both", "worthy-only"], Ids(await search.SearchAsync(All(new NumberRangeFilter("worthiness", 0.8)), Cancel)));
    }

    [Fact]
    public async Task Several_entities_must_all_be_mentioned_and_keyword_values_of_one_filter_are_alternatives()
    {
        var search = await WithAsync([
            SearchCorpus.Make("us", "A", "Text.", SearchCorpus.T0, [Us], [(ClaimTypes.Causal, 0.5, ClaimAttribution.Anonymous)], "a.example"),
            SearchCorpus.Make("us-china", "B", "Text.", SearchCorpus.T0, [Us, China], [(ClaimTypes.Prediction, 0.5, ClaimAttribution.NamedPerson)], "b.example"),
            SearchCorpus.Make("china", "C", "Text.", SearchCorpus.T0, [China, Xi], [(ClaimTypes.Accusation, 0.5, null)], "c.example", "de"),
        ]);

        Assert.Equal(["us-china"], Ids(await search.SearchAsync(All(new TermsFilter("entity", ["Q30", "Q148"], RequireAll: true)), Cancel)));
        Assert.Equal(["us", "us-china"], Ids(await search.SearchAsync(All(new TermsFilter("claim_type", [ClaimTypes.Causal, ClaimTypes.Prediction])), Cancel)));
        Assert.Equal(["us", "us-china"], Ids(await search.SearchAsync(All(new TermsFilter("outlet", ["a.example", "b.example"])), Cancel)));
        Assert.Equal(["china"], Ids(await search.SearchAsync(All(new TermsFilter("language", ["de"])), Cancel)));
        Assert.Equal(["china"], Ids(await search.SearchAsync(All(new TermsFilter("entity_type", ["PER"])), Cancel)));
        Assert.Equal(["us"], Ids(await search.SearchAsync(All(new TermsFilter("attribution", [ClaimAttribution.Anonymous])), Cancel)));
        Assert.Equal(3, (await search.SearchAsync(All(new TermsFilter("status", [ArticleFacts.StatusComplete])), Cancel)).Total);
    }

    [Fact]
    public async Task Published_range_includes_its_start_and_excludes_its_end()
    {
        var search = await WithAsync([
            SearchCorpus.Make("dec", "A", "Text.", SearchCorpus.T0.AddMonths(-1), [], []),
            SearchCorpus.Make("jan", "B", "Text.", SearchCorpus.T0, [], []),
            SearchCorpus.Make("undated", "C", "Text.", null, [], []),
        ]);

        Assert.Equal(["jan"], Ids(await search.SearchAsync(All(new DateRangeFilter("published", SearchCorpus.T0, SearchCorpus.T0.AddDays(1))), Cancel)));
        Assert.Equal(["dec"], Ids(await search.SearchAsync(All(new DateRangeFilter("published", null, SearchCorpus.T0)), Cancel)));
    }

    [Fact]
    public async Task Analysis_status_tells_complete_from_partial_articles()
    {
        var (index, search) = await OpenAsync();
        var complete = SearchCorpus.Make("complete", "A", "Text.", SearchCorpus.T0, [Us], [(ClaimTypes.Causal, 0.5, null)]);
        var partial = SearchCorpus.Make("partial", "B", "Text.", SearchCorpus.T0, [Us], [(ClaimTypes.Causal, 0.5, null)]);
        await index.WriteAsync([.. complete.Messages(), .. partial.Messages().Take(2)], Cancel);
        await RefreshAsync();

        Assert.Equal(["partial"], Ids(await search.SearchAsync(All(new TermsFilter("status", [ArticleFacts.StatusPartial])), Cancel)));
        Assert.Equal(["complete"], Ids(await search.SearchAsync(All(new TermsFilter("status", [ArticleFacts.StatusComplete])), Cancel)));
    }

    [Fact]
    public async Task Facet_counts_equal_a_brute_force_count_of_the_matching_articles()
    {
        var corpus = SearchCorpus.Random(300);
        var search = await WithAsync(corpus, batch: 60);
        var request = new SearchRequest("report", Size: 5)
        {
            Filters = [new NumberRangeFilter("worthiness", 0.3)],
            Facets =
            [
                new FacetRequest("entity", Size: 100), new FacetRequest("claim_type", Size: 100), new FacetRequest("outlet"),
                new FacetRequest("attribution"), new FacetRequest("entity_type"), new FacetRequest("language"), new FacetRequest("published", Interval: DateInterval.Month),
            ],
        };

        var results = await search.SearchAsync(request, Cancel);

        var matching = corpus.Where(a => a.MaxWorthiness >= 0.3).ToList();
        Assert.Equal(matching.Count, results.Total);
        AssertCounts(matching.SelectMany(a => a.Qids), results, "entity");
        AssertCounts(matching.SelectMany(a => a.Claims.Select(c => c.Type).Distinct()), results, "claim_type");
        AssertCounts(matching.Select(a => a.Article.Source!), results, "outlet");
        AssertCounts(matching.SelectMany(a => a.Claims.Where(c => c.Attribution is not null).Select(c => c.Attribution!.Kind).Distinct()), results, "attribution");
        AssertCounts(matching.SelectMany(a => a.Mentions.Select(m => m.Type).Distinct()), results, "entity_type");
        AssertCounts(matching.Select(a => a.Article.Language!), results, "language");
        AssertCounts(matching.Where(a => a.Article.PublishedAt is not null).Select(a => a.Article.PublishedAt!.Value.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)), results, "published");

        var entities = results.Facets.Single(f => f.Field == "entity").Buckets;
        Assert.All(entities, b => Assert.Equal(SearchCorpus.Entities.Single(e => e.Qid == b.Value).Label, b.Label));
        var histogram = results.Facets.Single(f => f.Field == "published").Buckets.Select(b => b.Value).ToList();
        Assert.Equal(histogram.Order(StringComparer.Ordinal), histogram);
    }

    [Fact]
    public async Task Pivot_cells_and_summed_claims_equal_a_brute_force_count_of_the_matching_articles()
    {
        var corpus = SearchCorpus.Random(300, seed: 11);
        var search = await WithAsync(corpus, batch: 70);
        var day = (CorpusArticle a) => a.Article.PublishedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var month = (CorpusArticle a) => a.Article.PublishedAt!.Value.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var request = new SearchRequest(null, Size: 1)
        {
            Filters = [new NumberRangeFilter("worthiness", 0.2)],
            Facets = [new FacetRequest("published", Interval: DateInterval.Month) { Sum = "worthy_claims" }],
            Pivots =
            [
                new PivotRequest(new FacetRequest("outlet", 5), new FacetRequest("claim_type", 4)),
                new PivotRequest(new FacetRequest("entity", 6), new FacetRequest("entity", 6)),
                new PivotRequest(new FacetRequest("published", Interval: DateInterval.Day), new FacetRequest("outlet", 3)),
            ],
            Highlight = false,
        };

        var results = await search.SearchAsync(request, Cancel);

        var matching = corpus.Where(a => a.MaxWorthiness >= 0.2).ToList();
        Assert.True(matching.Count > 50);
        var months = results.Facets.Single().Buckets;
        Assert.Equal(
            matching.Where(a => a.Article.PublishedAt is not null).GroupBy(month).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (long)g.Count(), (long?)g.Sum(a => a.Claims.Count(c => c.CheckWorthiness >= 0.5)))),
            months.Select(b => (b.Value, b.Count, b.Sum)));

        Assert.Equal(3, results.Pivots.Count);
        var values = new Dictionary<string, Func<CorpusArticle, IEnumerable<string>>>
        {
            ["outlet"] = a => [a.Article.Source!],
            ["claim_type"] = a => a.Claims.Select(c => c.Type).Distinct(),
            ["entity"] = a => a.Qids,
            ["published"] = a => a.Article.PublishedAt is null ? [] : [day(a)],
        };
        foreach (var pivot in results.Pivots)
        {
            var (rowsOf, columnsOf) = (values[pivot.RowField], values[pivot.ColumnField]);
            Assert.NotEmpty(pivot.Rows);
            Assert.NotEmpty(pivot.Columns);

            // The sides are the facets' top values with their totals; each cell counts the articles having both.
            Assert.All(pivot.Rows, r => Assert.Equal(matching.Count(a => rowsOf(a).Contains(r.Value)), r.Count));
            Assert.All(pivot.Columns, c => Assert.Equal(matching.Count(a => columnsOf(a).Contains(c.Value)), c.Count));
            for (var r = 0; r < pivot.Rows.Count; r++)
            {
                for (var c = 0; c < pivot.Columns.Count; c++)
                {
                    var expected = matching.Count(a => rowsOf(a).Contains(pivot.Rows[r].Value) && columnsOf(a).Contains(pivot.Columns[c].Value));
                    Assert.Equal(expected, pivot.Counts[r][c]);
                }
            }
        }

        // Every day with a matching article is a row of the date pivot; co-occurrence is symmetric with the totals on the diagonal.
        Assert.Equal(matching.Where(a => a.Article.PublishedAt is not null).Select(day).Distinct().Order(StringComparer.Ordinal), results.Pivots[2].Rows.Select(r => r.Value));
        var cooccurrence = results.Pivots[1];
        Assert.All(Enumerable.Range(0, cooccurrence.Rows.Count), i => Assert.Equal(cooccurrence.Rows[i].Count, cooccurrence.Counts[i][i]));
        Assert.Contains(cooccurrence.Counts.SelectMany((row, i) => row.Where((_, j) => j != i)), n => n > 0);
    }

    [Fact]
    public async Task Claim_entity_keeps_articles_with_a_claim_whose_span_holds_a_mention_of_the_entity()
    {
        var corpus = SearchCorpus.Random(200, seed: 17);
        var search = await WithAsync(corpus, batch: 50);
        var about = (CorpusArticle a) => a.Mentions.Where(m => m.Qid is not null && a.Claims.Any(c => m.Start >= c.Start && m.End <= c.End)).Select(m => m.Qid!).Distinct().ToList();
        var qid = corpus.SelectMany(about).GroupBy(q => q).MaxBy(g => g.Count())!.Key;

        var results = await search.SearchAsync(new SearchRequest(null, Size: 100)
        {
            Filters = [new TermsFilter("claim_entity", [qid], RequireAll: true)],
            Facets = [new FacetRequest("claim_entity", Size: 100)],
            Highlight = false,
        }, Cancel);

        var expected = corpus.Where(a => about(a).Contains(qid)).Select(a => a.Article.ArticleId).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count < corpus.Count(a => a.Qids.Contains(qid)), "some articles mention it outside their claims");
        Assert.Equal(expected, results.Hits.Select(h => h.ArticleId).Order(StringComparer.Ordinal));
        var bucket = results.Facets.Single().Buckets.Single(b => b.Value == qid);
        Assert.Equal(expected.Count, bucket.Count);
        Assert.Equal(SearchCorpus.Entities.Single(e => e.Qid == qid).Label, bucket.Label);
    }

    [Fact]
    public async Task A_pivot_on_a_number_field_or_too_wide_and_a_sum_outside_a_date_histogram_are_refused()
    {
        var search = await WithAsync(SearchCorpus.Random(10), batch: 10);
        foreach (var request in new[]
        {
            new SearchRequest(null) { Pivots = [new PivotRequest(new FacetRequest("worthiness"), new FacetRequest("outlet"))] },
            new SearchRequest(null) { Pivots = [new PivotRequest(new FacetRequest("outlet", 51), new FacetRequest("entity"))] },
            new SearchRequest(null) { Facets = [new FacetRequest("outlet") { Sum = "worthy_claims" }] },
            new SearchRequest(null) { Facets = [new FacetRequest("published") { Sum = "worthiness" }] },
        })
        {
            var refused = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(request, Cancel));
            Assert.True(refused.Parameter is "facet" or "pivot", refused.Parameter);
        }
    }

    static void AssertCounts(IEnumerable<string> values, SearchResults results, string field)
    {
        var expected = values.GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count());
        var actual = results.Facets.Single(f => f.Field == field).Buckets;
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.ToDictionary(b => b.Value, b => b.Count).OrderBy(e => e.Key, StringComparer.Ordinal));
        if (field != "published")
        {
            Assert.Equal(actual.Select(b => b.Count).OrderDescending(), actual.Select(b => b.Count));
        }
    }

    [Fact]
    public async Task Keyword_facets_keep_the_most_frequent_values()
    {
        var corpus = SearchCorpus.Random(120, seed: 3);
        var search = await WithAsync(corpus);

        var results = await search.SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("entity", Size: 3)] }, Cancel);

        var expected = corpus.SelectMany(a => a.Qids).GroupBy(q => q).Select(g => (long)g.Count()).OrderDescending().Take(3);
        Assert.Equal(expected, results.Facets[0].Buckets.Select(b => b.Count));
    }

    [Fact]
    public async Task Highlights_mark_the_query_terms_and_escape_the_text()
    {
        var search = await WithAsync([
            SearchCorpus.Make("h", "Vaccine rollout <b>news</b>", "Before. The vaccine <script>alert(1)</script> rollout reached every county. After.", SearchCorpus.T0, [], []),
        ]);

        var hit = Assert.Single((await search.SearchAsync(new SearchRequest("vaccine"), Cancel)).Hits);

        Assert.Contains("<mark>Vaccine</mark>", hit.TitleHighlight, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", hit.TitleHighlight, StringComparison.Ordinal);
        var fragment = Assert.Single(hit.Highlights);
        Assert.Contains("<mark>vaccine</mark>", fragment, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", fragment, StringComparison.Ordinal);
        Assert.Empty((await search.SearchAsync(new SearchRequest("vaccine") { Highlight = false }, Cancel)).Hits[0].Highlights);
    }

    [Theory]
    [InlineData(SearchSort.Newest)]
    [InlineData(SearchSort.Oldest)]
    [InlineData(SearchSort.Relevance)]
    public async Task Cursor_pages_walk_every_hit_once_in_the_order_of_one_big_page(SearchSort sort)
    {
        var corpus = SearchCorpus.Random(47, seed: 11);
        var search = await WithAsync(corpus, batch: 10);
        var query = sort == SearchSort.Relevance ? "report OR election" : null;
        var everything = await search.SearchAsync(new SearchRequest(query, Size: 100) { Sort = sort }, Cancel);

        var walked = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await search.SearchAsync(new SearchRequest(query, Size: 4) { Sort = sort, Cursor = cursor }, Cancel);
            Assert.Equal(everything.Total, page.Total);
            walked.AddRange(page.Hits.Select(h => h.ArticleId));
            cursor = page.NextCursor;
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Equal(everything.Hits.Select(h => h.ArticleId), walked);
        Assert.Equal(walked.Count, walked.Distinct().Count());
        if (sort != SearchSort.Relevance)
        {
            var dates = everything.Hits.Select(h => h.PublishedAt?.ToUnixTimeMilliseconds() ?? 0).ToList();
            Assert.Equal(sort == SearchSort.Newest ? dates.OrderDescending() : dates.Order(), dates);
        }
    }

    /// <summary>
    /// Dates that tie to the millisecond, differ by one millisecond, are missing or lie far apart, in several batches
    /// (segments), with ids whose order is not the order of writing: every page size walks every article exactly once.
    /// </summary>
    [Theory]
    [InlineData(SearchSort.Oldest)]
    [InlineData(SearchSort.Newest)]
    [InlineData(SearchSort.Relevance)]
    public async Task Cursor_pages_see_every_article_exactly_once_when_dates_and_scores_tie(SearchSort sort)
    {
        var random = new Random(15);
        var corpus = Enumerable.Range(0, 240)
            .Select(i => SearchCorpus.Make(
                $"t{random.Next(1_000_000):D6}-{i:D3}",
                "Tied report",
                i % 3 == 0 ? "A report about the election." : "A report about the election and the election again.",
                (i % 6) switch
                {
                    0 => SearchCorpus.T0,
                    1 => SearchCorpus.T0.AddMilliseconds(1),
                    2 => SearchCorpus.T0.AddMilliseconds(-1),
                    3 => null,
                    4 => SearchCorpus.T0.AddMilliseconds(random.Next(0, 1000)),
                    _ => SearchCorpus.T0.AddYears(-30).AddMilliseconds(random.Next(0, 3)),
                },
                [],
                []))
            .ToList();
        var search = await WithAsync(corpus, batch: 50);
        var query = sort == SearchSort.Relevance ? "election" : null;

        foreach (var size in new[] { 1, 7, 37, 100 })
        {
            var walked = new List<string>();
            string? cursor = null;
            do
            {
                var page = await search.SearchAsync(new SearchRequest(query, Size: size) { Sort = sort, Cursor = cursor }, Cancel);
                walked.AddRange(page.Hits.Select(h => h.ArticleId));
                cursor = page.NextCursor;
            }
            while (cursor is not null && walked.Count <= corpus.Count);

            Assert.True(walked.Count == walked.Distinct().Count(), $"size {size}: {walked.Count - walked.Distinct().Count()} articles seen twice");
            Assert.Equal(corpus.Select(a => a.Article.ArticleId).Order(StringComparer.Ordinal), walked.Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData(int.MaxValue, 10, "from")]
    [InlineData(9_991, 10, "from")]
    [InlineData(-1, 10, "from")]
    [InlineData(0, 0, "size")]
    [InlineData(0, int.MaxValue, "size")]
    public async Task A_page_outside_the_window_is_refused_naming_the_parameter_before_the_store_sizes_anything(int from, int size, string parameter)
    {
        var search = await WithAsync(SearchCorpus.Random(3));

        var error = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(new SearchRequest(null, size, from), Cancel));
        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public async Task A_cursor_that_is_not_a_token_or_belongs_to_another_sort_is_an_invalid_cursor()
    {
        var search = await WithAsync(SearchCorpus.Random(5));
        var page = await search.SearchAsync(new SearchRequest(null, Size: 2) { Sort = SearchSort.Newest }, Cancel);

        var garbage = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(new SearchRequest(null) { Cursor = "not-a-cursor!" }, Cancel));
        var otherSort = await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(new SearchRequest(null) { Cursor = page.NextCursor }, Cancel));

        Assert.Equal("cursor", garbage.Parameter);
        Assert.Equal("cursor", otherSort.Parameter);
    }

    [Fact]
    public async Task Unknown_or_mistyped_filters_and_facets_name_the_field()
    {
        var search = await WithAsync(SearchCorpus.Random(3));

        Assert.Equal("colour", (await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(All(new TermsFilter("colour", ["red"])), Cancel))).Parameter);
        Assert.Equal("worthiness", (await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(All(new TermsFilter("worthiness", ["high"])), Cancel))).Parameter);
        Assert.Equal("facet", (await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("worthiness")] }, Cancel))).Parameter);
    }

    [Fact]
    public async Task Entity_suggestions_match_a_word_prefix_of_labels_in_the_index_most_mentioned_first()
    {
        var search = await WithAsync([
            SearchCorpus.Make("1", "A", "Text.", SearchCorpus.T0, [Biden, Us], []),
            SearchCorpus.Make("2", "B", "Text.", SearchCorpus.T0, [Biden], []),
            SearchCorpus.Make("3", "C", "Text.", SearchCorpus.T0, [SearchCorpus.Entities[10], SearchCorpus.Entities[11]], []),
        ]);

        var biden = Assert.Single(await search.SuggestEntitiesAsync("bid", 5, Cancel));
        Assert.Equal(new EntitySuggestion("Q6279", "Joe Biden", 2), biden);
        Assert.Equal("Q1490", Assert.Single(await search.SuggestEntitiesAsync("Toky", 5, Cancel)).Qid);
        Assert.Equal(["Q6279", "Q76"], (await search.SuggestEntitiesAsync("b", 5, Cancel)).Select(s => s.Qid));
        Assert.Empty(await search.SuggestEntitiesAsync("xyz", 5, Cancel));
    }

    [Fact]
    public async Task An_emerging_entity_is_filtered_faceted_typed_and_suggested_like_a_qid()
    {
        var volt = SearchCorpus.VoltHarbor;
        var search = await WithAsync([
            SearchCorpus.Make("1", "A", "Text.", SearchCorpus.T0, [volt, Biden], []),
            SearchCorpus.Make("2", "B", "Text.", SearchCorpus.T0, [volt], []),
            SearchCorpus.Make("3", "C", "Text.", SearchCorpus.T0, [Biden], []),
        ]);

        Assert.Equal(["1", "2"], Ids(await search.SearchAsync(All(new TermsFilter("entity", [volt.Qid], RequireAll: true)), Cancel)));
        Assert.Equal(["1"], Ids(await search.SearchAsync(All(new TermsFilter("entity", [volt.Qid, Biden.Item1], RequireAll: true)), Cancel)));
        var results = await search.SearchAsync(new SearchRequest(null, Size: 100) { Facets = [new FacetRequest("entity"), new FacetRequest("entity_type")] }, Cancel);
        Assert.Equal([new FacetBucket(Biden.Item1, 2, Biden.Item2), new FacetBucket(volt.Qid, 2, volt.Label)], results.Facets[0].Buckets.OrderBy(b => b.Value, StringComparer.Ordinal));
        Assert.Contains(new FacetBucket("ORG", 2), results.Facets[1].Buckets);
        Assert.Contains(volt.Qid, results.Hits.Single(h => h.ArticleId == "2").EntityIds);
        var suggestion = Assert.Single(await search.SuggestEntitiesAsync("harb", 5, Cancel));
        Assert.Equal(new EntitySuggestion(volt.Qid, volt.Label, 2), suggestion);
        Assert.False(suggestion.InKb);
        Assert.True(Assert.Single(await search.SuggestEntitiesAsync("bid", 5, Cancel)).InKb);
    }

    [Fact]
    public async Task Re_running_the_linker_with_a_kb_that_knows_the_name_replaces_its_emerging_id_by_the_qid()
    {
        const string Qid = "Q987654321";
        var volt = SearchCorpus.VoltHarbor;
        var article = SearchCorpus.Make("1", "A", "Text.", SearchCorpus.T0, [volt, Biden], []);
        var (index, search) = await OpenAsync();
        Assert.Empty(await index.WriteAsync([.. article.Messages(), .. SearchCorpus.Make("2", "B", "Text.", SearchCorpus.T0, [volt], []).Messages()], Cancel));
        await RefreshAsync();
        Assert.Equal(["1", "2"], Ids(await search.SearchAsync(All(new TermsFilter("entity", [volt.Qid], RequireAll: true)), Cancel)));

        // What "Re-run enricher" produces for article 1 once the rebuilt KB has the entity: the same linker version, later.
        var relinked = new EntitiesPayload
        {
            Mentions = [.. article.Mentions.Select(m => m.Qid == volt.Qid ? m with { Qid = Qid, InKb = true } : m)],
            EntityIds = [Qid, Biden.Item1],
            Linker = "suite",
        };
        Assert.Empty(await index.WriteAsync([EnrichmentPayloads.Create(EntitiesPayload.EnricherName, "1", article.Article, relinked, article.Article.IngestedAt.AddHours(1))], Cancel));
        await RefreshAsync();

        Assert.Equal(["2"], Ids(await search.SearchAsync(All(new TermsFilter("entity", [volt.Qid], RequireAll: true)), Cancel)));
        Assert.Equal(["1"], Ids(await search.SearchAsync(All(new TermsFilter("entity", [Qid], RequireAll: true)), Cancel)));
        var facet = (await search.SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("entity")] }, Cancel)).Facets[0].Buckets;
        Assert.Equal([new FacetBucket(Biden.Item1, 1, Biden.Item2), new FacetBucket(Qid, 1, volt.Label), new FacetBucket(volt.Qid, 1, volt.Label)], facet.OrderBy(b => b.Value, StringComparer.Ordinal));
        Assert.Equal([(Qid, 1L), (volt.Qid, 1L)], (await search.SuggestEntitiesAsync("volt", 5, Cancel)).Select(s => (s.Qid, s.Articles)).OrderBy(s => s.Qid, StringComparer.Ordinal));
    }

    /// <summary>The sample fact-check enricher's fields, plus a verdict that is both full text and filterable (a <c>.keyword</c> field).</summary>
    public static readonly EnrichmentField[] FactCheckFields =
    [
        new() { Name = "claim", Path = "matches.claim", Uses = EnrichmentFieldUses.Searchable },
        new() { Name = "id", Path = "matches.factCheckId", Uses = EnrichmentFieldUses.Filterable | EnrichmentFieldUses.Facetable },
        new() { Name = "status", Path = "status", Uses = EnrichmentFieldUses.Filterable | EnrichmentFieldUses.Facetable },
        new() { Name = "verdict", Path = "matches.verdict", Uses = EnrichmentFieldUses.Searchable | EnrichmentFieldUses.Filterable },
    ];

    /// <summary>A fact-check enrichment of the article, declaring <see cref="FactCheckFields"/>.</summary>
    public static ArticleEnriched FactChecks(ArticleIngested article, string status, params (string Id, string Claim, string Verdict)[] matches) =>
        EnrichmentPayloads.Create(
            "fact-checks",
            "1",
            article,
            new { status, matches = matches.Select(m => new { factCheckId = m.Id, claim = m.Claim, verdict = m.Verdict }).ToArray() },
            article.IngestedAt) with
        { Fields = FactCheckFields };

    static SearchRequest Where(string field, params string[] values) => All(new TermsFilter(field, values));

    [Fact]
    public async Task Enricher_declared_fields_filter_facet_and_query_by_their_exact_values()
    {
        var (index, search) = await OpenAsync();
        var (a, b, c, d) = (
            SearchCorpus.Make("a", "Vaccine rumour", "A post said vaccines cause autism.", SearchCorpus.T0, [], []),
            SearchCorpus.Make("b", "Two rumours", "Posts repeated two debunked stories.", SearchCorpus.T0, [], []),
            SearchCorpus.Make("c", "Budget", "The budget passed.", SearchCorpus.T0, [], []),
            SearchCorpus.Make("d", "Weather", "It rained.", SearchCorpus.T0, [], []));
        const string Autism = "Vaccines cause autism";

        // Two writes, so the Lucene index counts across segments; d has no fact-check enrichment at all.
        Assert.Empty(await index.WriteAsync([.. a.Messages(), FactChecks(a.Article, "matched", ("fc-1", Autism, "False")), .. b.Messages(), FactChecks(b.Article, "matched", ("fc-1", Autism, "False"), ("fc-2", "The election was stolen", "Misleading"))], Cancel));
        Assert.Empty(await index.WriteAsync([.. c.Messages(), FactChecks(c.Article, "no-match"), .. d.Messages()], Cancel));
        await RefreshAsync();

        Assert.Equal(["a", "b"], Ids(await search.SearchAsync(Where("enrichment.fact-checks.status", "matched"), Cancel)));
        Assert.Equal(["b"], Ids(await search.SearchAsync(All(new TermsFilter("enrichment.fact-checks.status", ["matched", "no-match"]), new TermsFilter("enrichment.fact-checks.id", ["fc-2"])), Cancel)));
        Assert.Equal(["b"], Ids(await search.SearchAsync(Where("enrichment.fact-checks.id", "fc-2"), Cancel)));
        Assert.Equal(["c"], Ids(await search.SearchAsync(Where("enrichment.fact-checks.status", "no-match", "unknown"), Cancel)));

        // Searchable and filterable: filtered on the exact value (case included), found by words in q.
        Assert.Equal(["a", "b"], Ids(await search.SearchAsync(Where("enrichment.fact-checks.verdict", "False"), Cancel)));
        Assert.Empty(Ids(await search.SearchAsync(Where("enrichment.fact-checks.verdict", "false"), Cancel)));
        Assert.Equal(["b"], Ids(await search.SearchAsync(Where("enrichment.fact-checks.verdict", "Misleading"), Cancel)));

        // Facets count articles (b mentions fc-1 once), exactly, over what the query and filters match.
        var facets = await search.SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest("enrichment.fact-checks.status"), new FacetRequest("enrichment.fact-checks.id")] }, Cancel);
        Assert.Equal([new FacetBucket("matched", 2), new FacetBucket("no-match", 1)], facets.Facets[0].Buckets);
        Assert.Equal([new FacetBucket("fc-1", 2), new FacetBucket("fc-2", 1)], facets.Facets[1].Buckets);
        var narrowed = await search.SearchAsync(Where("enrichment.fact-checks.id", "fc-2") with { Facets = [new FacetRequest("enrichment.fact-checks.id")] }, Cancel);
        Assert.Equal([new FacetBucket("fc-1", 1), new FacetBucket("fc-2", 1)], narrowed.Facets[0].Buckets);

        // In q, exact fields match whole values; full-text ones are analysed like the text.
        Assert.Equal(["c"], Ids(await search.SearchAsync(new SearchRequest("enrichment.fact-checks.status:no-match"), Cancel)));
        Assert.Equal(["a", "b"], Ids(await search.SearchAsync(new SearchRequest("enrichment.fact-checks.id:fc-1", Size: 10), Cancel)));
        Assert.Equal(["a", "b"], Ids(await search.SearchAsync(new SearchRequest("enrichment.fact-checks.claim:autism"), Cancel)));

        // Not declared filterable (claim is full text only), never declared, or not a field name: the parameter is named.
        foreach (var name in (string[])["enrichment.fact-checks.claim", "enrichment.fact-checks.colour", "enrichment.sentiment.label", "enrichment.fact-checks"])
        {
            Assert.Equal(name, (await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(Where(name, "x"), Cancel))).Parameter);
        }

        foreach (var name in (string[])["enrichment.fact-checks.claim", "enrichment.fact-checks.verdict", "enrichment.sentiment.label", "enrichment.fact-checks.id.keyword"])
        {
            Assert.Equal("facet", (await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(new SearchRequest(null) { Facets = [new FacetRequest(name)] }, Cancel))).Parameter);
        }

        Assert.Equal("enrichment.fact-checks.status", (await Assert.ThrowsAsync<InvalidSearchRequestException>(() => search.SearchAsync(All(new NumberRangeFilter("enrichment.fact-checks.status", 1)), Cancel))).Parameter);
    }
}
