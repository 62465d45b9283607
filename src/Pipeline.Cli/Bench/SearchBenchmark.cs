using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Cli.Bench;

/// <summary>Latencies of one query kind, in milliseconds.</summary>
public sealed record SearchLatencies(string Kind, string What, IReadOnlyList<double> Milliseconds)
{
    public double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// The fixed query mix of <c>bench search</c>, run one query at a time through the store's own read side
/// (<see cref="LuceneArticleSearch"/>: parsing, filters, facets, highlights, loading the hits), against a raw ceiling:
/// a plain IndexSearcher TermQuery top 10 on the same index, without loading anything.
/// </summary>
public sealed class SearchBenchmark(SearchBenchIndexInfo index, int rounds)
{
    static readonly string[] Terms = ["clinton", "trump", "election", "police", "email", "russia", "debate", "obama", "tax", "immigration", "campaign", "senate", "vote", "media", "war"];
    static readonly string[] Phrases = ["\"hillary clinton\"", "\"white house\"", "\"united states\"", "\"donald trump\"", "\"supreme court\"", "\"new york\"", "\"social media\"", "\"health care\""];
    static readonly string[] Booleans = ["(trump OR clinton) AND debate", "title:clinton AND email", "police AND NOT trump", "russia AND (hack* OR email)"];
    static readonly string[] Prefixes = ["don", "hil", "whi", "new", "ber", "oba", "rep", "dem"];

    /// <summary>The row of the charts' aggregations (reported apart from the mix).</summary>
    public const string Charts = "charts";

    static FacetRequest[] AllFacets =>
    [
        new("entity"), new("claim_type"), new("outlet"), new("attribution"), new("entity_type"), new("published"),
    ];

    public async Task<(IReadOnlyList<SearchLatencies> Rows, bool FacetsExact, int Segments)> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        using var search = new LuceneArticleSearch(Options.Create(new SearchStoreOptions { LucenePath = index.Path }));
        var kinds = Kinds();

        // Warm-up: every kind 20 times (tiered JIT, OS file cache, facet data of the segments).
        foreach (var (_, _, make) in kinds)
        {
            for (var i = 0; i < 20; i++)
            {
                foreach (var request in make(i))
                {
                    await search.SearchAsync(request, cancellationToken);
                }
            }
        }

        var rows = new List<SearchLatencies>();
        foreach (var (kind, what, make) in kinds)
        {
            progress($"running {kind}");
            var times = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                var requests = make(i);
                var started = Stopwatch.GetTimestamp();
                foreach (var request in requests)
                {
                    await search.SearchAsync(request, cancellationToken);
                }

                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            rows.Add(new SearchLatencies(kind, what, times));
        }

        progress("running deep-cursor");
        rows.Add(await DeepCursorAsync(search, cancellationToken));

        progress("running suggest");
        var suggestTimes = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await search.SuggestEntitiesAsync(Prefixes[i % Prefixes.Length], 8, cancellationToken);
            suggestTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        rows.Add(new SearchLatencies("suggest", "entity-name prefix, 8 suggestions", suggestTimes));

        var facetCheck = await search.SearchAsync(new SearchRequest(null, Size: 1) { Facets = [new FacetRequest("claim_type", Size: 100)] }, cancellationToken);
        var exact = facetCheck.Facets[0].Buckets.Count == index.ClaimTypeArticles.Count
            && facetCheck.Facets[0].Buckets.All(b => index.ClaimTypeArticles.GetValueOrDefault(b.Value) == b.Count);

        var (raw, segments) = RawCeiling();
        rows.Add(raw);
        return (rows, exact, segments);
    }

    /// <summary>Each kind's query i: the store requests one analyst action makes (one, or the charts' two), timed together.</summary>
    List<(string Kind, string What, Func<int, SearchRequest[]> Make)> Kinds()
    {
        var entities = index.TopEntities;
        var month = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return
        [
            ("text", "one term, highlights, top 10", i => [new SearchRequest(Terms[i % Terms.Length])]),
            ("phrase", "a phrase, highlights, top 10", i => [new SearchRequest(Phrases[i % Phrases.Length])]),
            ("boolean", "AND/OR/NOT, field, wildcard", i => [new SearchRequest(Booleans[i % Booleans.Length])]),
            ("filters", "claim type + worthiness + 3 months, newest first", i =>
            [
                new SearchRequest(null)
                {
                    Sort = SearchSort.Newest,
                    Filters =
                    [
                        new TermsFilter("claim_type", [Pipeline.Contracts.ClaimTypes.All[i % 7]]),
                        new NumberRangeFilter("worthiness", 0.6),
                        new DateRangeFilter("published", month.AddMonths(i % 21), month.AddMonths((i % 21) + 3)),
                    ],
                },
            ]),
            ("text+facets", "one term + 6 facets (entity, claim type, outlet, attribution, entity type, month histogram)", i => [new SearchRequest(Terms[i % Terms.Length]) { Facets = AllFacets }]),
            ("all+facets", "every article + 6 facets", i => [new SearchRequest(null) { Facets = AllFacets, Highlight = false }]),
            (Charts, "the page's charts (/charts, two store queries): day histogram + check-worthy claims summed and day x 10 outlets over the dated articles; 10 x 10 entity co-occurrence and 10 outlets x claim types; every article, or one term", i =>
                ChartQuery.Of(new SearchRequest(i % 2 == 0 ? null : Terms[i % Terms.Length]), top: 10) is var (overTime, across) ? [overTime, across] : []),
            ("entity+worthiness", "entity=QID & worthiness>=0.5, newest, month histogram + claim types", i =>
            [
                new SearchRequest(null, Size: 20)
                {
                    Sort = SearchSort.Newest,
                    Filters = [new TermsFilter("entity", [entities[i % Math.Min(20, entities.Count)]], RequireAll: true), new NumberRangeFilter("worthiness", 0.5)],
                    Facets = [new FacetRequest("published"), new FacetRequest("claim_type", Size: 50), new FacetRequest("entity", Size: 50)],
                    Highlight = false,
                },
            ]),
        ];
    }

    /// <summary>A page of 10 at a depth of 1,000 to 9,000 hits, reached with the cursor of the page before (walked untimed).</summary>
    async Task<SearchLatencies> DeepCursorAsync(LuceneArticleSearch search, CancellationToken cancellationToken)
    {
        var cursors = new List<(SearchSort Sort, string? Query, string Cursor)>();
        foreach (var (sort, query) in new[] { (SearchSort.Newest, (string?)null), (SearchSort.Relevance, "election OR trump OR clinton") })
        {
            string? cursor = null;
            for (var depth = 100; depth <= 9_000 && (cursor is not null || depth == 100); depth += 100)
            {
                var page = await search.SearchAsync(new SearchRequest(query, Size: 100) { Sort = sort, Cursor = cursor, Highlight = false }, cancellationToken);
                cursor = page.NextCursor;
                if (cursor is not null && depth >= 1_000 && depth % 400 == 0)
                {
                    cursors.Add((sort, query, cursor));
                }
            }
        }

        var times = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var (sort, query, cursor) = cursors[i % cursors.Count];
            var started = Stopwatch.GetTimestamp();
            await search.SearchAsync(new SearchRequest(query) { Sort = sort, Cursor = cursor }, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new SearchLatencies("deep-cursor", "page of 10 at depth 1,000-9,000 by cursor (newest; relevance)", times);
    }

    (SearchLatencies Row, int Segments) RawCeiling()
    {
        using var directory = FSDirectory.Open(index.Path);
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        var stems = Terms.Select(Stem).ToList();
        for (var i = 0; i < 50; i++)
        {
            searcher.Search(new TermQuery(new Term(LuceneFields.Text, stems[i % stems.Count])), 10);
        }

        var times = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            searcher.Search(new TermQuery(new Term(LuceneFields.Text, stems[i % stems.Count])), 10);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (new SearchLatencies("raw ceiling", "IndexSearcher TermQuery top 10 (same terms as text), no documents loaded", times), reader.Leaves.Count);
    }

    static string Stem(string word)
    {
        using var analyzer = new Lucene.Net.Analysis.En.EnglishAnalyzer(Lucene.Net.Util.LuceneVersion.LUCENE_48);
        using var stream = analyzer.GetTokenStream(LuceneFields.Text, word);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        var stem = stream.IncrementToken() ? term.ToString() : word;
        stream.End();
        return stem;
    }

    public static string ToMarkdown(IReadOnlyList<SearchLatencies> rows)
    {
        var i = CultureInfo.InvariantCulture;
        var ceiling = rows.Single(r => r.Kind == "raw ceiling").Percentile(50);
        var table = new StringBuilder();
        table.AppendLine("| query kind | what | queries | p50 ms | p95 ms | p99 ms | max ms | p50 / raw p50 |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            table.AppendLine(string.Create(i, $"| {row.Kind} | {row.What} | {row.Milliseconds.Count} | {row.Percentile(50):F2} | {row.Percentile(95):F2} | {row.Percentile(99):F2} | {row.Milliseconds.Max():F2} | {row.Percentile(50) / ceiling:F0}x |"));
        }

        return table.ToString();
    }
}
