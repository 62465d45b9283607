using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Search.Api;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary><c>GET /export</c> over real HTTP: each row kind in each format says what the search and article APIs say.</summary>
[Collection(ExportCollection.Name)]
public sealed class ExportEndpointsTests(ExportServiceFixture service)
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Every article but the bulk ones: more than two export pages.</summary>
    const string Corpus = "outlet=example.com,news.example.org,daily.example.net";

    async Task<byte[]> ExportAsync(string query)
    {
        using var response = await service.Client.GetAsync($"/export?{query}", Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return await response.Content.ReadAsByteArrayAsync(Cancel);
    }

    async Task<List<Dictionary<string, string?>>> RowsAsync(string query, string format) =>
        format == "csv" ? ExportFiles.CsvRows(await ExportAsync($"{query}&format=csv")) : ExportFiles.NdjsonRows(await ExportAsync($"{query}&format=ndjson"));

    /// <summary>The matching articles in the search's order, paged through /search with its cursor.</summary>
    async Task<List<string>> SearchIdsAsync(string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await service.Client.GetFromJsonAsync<JsonElement>($"/search?{query}&size=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", Cancel);
            ids.AddRange(page.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("articleId").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return ids;
    }

    async Task<JsonElement> ArticleAsync(string id) =>
        await service.Client.GetFromJsonAsync<JsonElement>($"/articles/{Uri.EscapeDataString(id)}", Cancel);

    static string? Text(JsonElement value, string property) =>
        value.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static string? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString(CultureInfo.InvariantCulture) : null;

    static string? Cell(string format, string? text) => format == "csv" ? ExportFiles.AsCsvText(text) : text is { Length: > 0 } ? text : null;

    public static TheoryData<string, string> Formats => new() { { "csv", "q=election%20OR%20report&sort=newest" }, { "ndjson", "q=election%20OR%20report&sort=newest" }, { "csv", $"{Corpus}&claim_type=accusation&worthiness=0.3" }, { "ndjson", Corpus }, { "csv", "worthiness>=0.8&sort=oldest" }, { "ndjson", "claim_entity=Q30&sort=newest" } };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Article_rows_are_the_searchs_matches_in_order_with_their_counts(string format, string query)
    {
        var ids = await SearchIdsAsync(query);
        var rows = await RowsAsync($"{query}&rows=articles", format);

        Assert.NotEmpty(ids);
        Assert.Equal(ids, rows.Select(r => r["article_id"]));
        foreach (var row in rows)
        {
            var article = await ArticleAsync(row["article_id"]!);
            Assert.Equal(Cell(format, article.GetProperty("article").GetProperty("title").GetString()), row["title"]);
            Assert.Equal(article.GetProperty("claims").GetArrayLength().ToString(CultureInfo.InvariantCulture), row["claim_count"]);
            Assert.Equal(article.GetProperty("entities").GetArrayLength().ToString(CultureInfo.InvariantCulture), row["mention_count"]);
            Assert.Equal(Text(article.GetProperty("article"), "source"), row["outlet"]);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Claim_rows_are_every_claim_of_every_matching_article(string format, string query)
    {
        var expected = new List<(string? Id, string? Index, string? Text, string? Type, string? Worthiness)>();
        foreach (var id in await SearchIdsAsync(query))
        {
            var claims = (await ArticleAsync(id)).GetProperty("claims").EnumerateArray().ToList();
            expected.AddRange(claims.Select((c, i) => ((string?)id, (string?)i.ToString(CultureInfo.InvariantCulture), Cell(format, Text(c, "text")), Text(c, "type"), Number(c.GetProperty("checkWorthiness")))));
        }

        var rows = await RowsAsync($"{query}&rows=claims", format);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => (r["article_id"], r["claim_index"], r["text"], r["type"], Normalised(r["check_worthiness"]))));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Mention_rows_are_every_entity_mention_of_every_matching_article(string format, string query)
    {
        var expected = new List<(string? Id, string? Index, string? Text, string? Entity, string? Start)>();
        foreach (var id in await SearchIdsAsync(query))
        {
            var mentions = (await ArticleAsync(id)).GetProperty("entities").EnumerateArray().ToList();
            expected.AddRange(mentions.Select((m, i) => ((string?)id, (string?)i.ToString(CultureInfo.InvariantCulture), Cell(format, Text(m, "text")), Text(m, "qid"), (string?)m.GetProperty("start").GetInt32().ToString(CultureInfo.InvariantCulture))));
        }

        var rows = await RowsAsync($"{query}&rows=mentions", format);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => (r["article_id"], r["mention_index"], r["text"], r["entity_id"], r["start"])));
    }

    static string? Normalised(string? number) =>
        number is null ? null : double.Parse(number, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_filtered_export_holds_exactly_the_corpus_articles_the_filters_match()
    {
        var expected = service.Corpus
            .Where(a => a.Article.Source == "news.example.org" && a.Claims.Any(c => c.Type == "accusation") && a.Qids.Contains("Q30"))
            .ToList();

        var rows = await RowsAsync("outlet=news.example.org&claim_type=accusation&entity=Q30&rows=claims", "csv");

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Sum(a => a.Claims.Count), rows.Count);
        Assert.Equal(expected.Select(a => a.Article.ArticleId).Order(StringComparer.Ordinal), rows.Select(r => r["article_id"]!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_export_of_several_pages_is_complete_in_order_without_duplicates_and_limit_takes_the_first()
    {
        var ids = await SearchIdsAsync($"{Corpus}&sort=oldest");
        var rows = await RowsAsync($"{Corpus}&sort=oldest&rows=articles", "ndjson");
        var limited = await RowsAsync($"{Corpus}&sort=oldest&rows=articles&limit=150", "csv");

        Assert.True(ids.Count > 2 * ExportDownload.PageSize, $"{ids.Count} articles span more than two pages");
        Assert.Equal(service.Corpus.Count, rows.Count);
        Assert.Equal(ids, rows.Select(r => r["article_id"]));
        Assert.Equal(rows.Count, rows.Select(r => r["article_id"]).Distinct().Count());
        Assert.Equal(ids.Take(150), limited.Select(r => r["article_id"]));
    }

    [Fact]
    public async Task The_csv_is_rfc_4180_with_a_bom_and_neutralises_formulas_in_hostile_texts()
    {
        var file = await ExportAsync("q=title:hyperlink&rows=claims&format=csv");
        var records = ExportFiles.ParseCsv(file);
        var rows = ExportFiles.CsvRows(file);

        Assert.Equal(ExportRows.Claims.Columns, records[0]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("'" + ExportServiceFixture.FormulaTitle, r["article_title"]));
        Assert.Equal(ExportServiceFixture.HostileClaim, rows[0]["text"]);
        Assert.Equal("'+1 percent, said @someone", rows[1]["text"]);
        Assert.Equal("'-cmd|' /C calc'!A0", rows[2]["text"]);
        Assert.Equal(["0.9", "0.4", "0.2"], rows.Select(r => r["check_worthiness"]));
        Assert.Equal("2024-01-16T12:00:00Z", rows[0]["published_at"]);

        // NDJSON keeps the texts as they are, typed.
        var json = ExportFiles.ParseNdjson(await ExportAsync("q=title:hyperlink&rows=claims&format=ndjson"));
        Assert.Equal(ExportServiceFixture.FormulaTitle, json[0].GetProperty("article_title").GetString());
        Assert.Equal(ExportServiceFixture.HostileClaim, json[0].GetProperty("text").GetString());
        Assert.Equal(0.9, json[0].GetProperty("check_worthiness").GetDouble());
        Assert.Equal(JsonValueKind.Number, json[0].GetProperty("start").ValueKind);
        Assert.Equal(JsonValueKind.Array, json[0].GetProperty("entity_ids").ValueKind);
        Assert.Equal(ExportRows.Claims.Columns, json[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Accents_survive_in_both_formats()
    {
        var csv = ExportFiles.CsvRows(await ExportAsync("language=fr&format=csv"));
        var ndjson = await ExportAsync("language=fr&format=ndjson");

        Assert.Equal(ExportServiceFixture.AccentTitle, Assert.Single(csv)["title"]);
        Assert.True(ndjson.AsSpan().IndexOf(Encoding.UTF8.GetBytes(ExportServiceFixture.AccentTitle)) >= 0, "NDJSON writes accents as UTF-8, not \\u escapes");
        Assert.Equal(ExportServiceFixture.AccentTitle, Assert.Single(ExportFiles.ParseNdjson(ndjson)).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("rows=paragraphs", "rows")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=1000001", "limit")]
    [InlineData("sort=sideways", "sort")]
    [InlineData("q=title:(unclosed", "q")]
    [InlineData("entity=not-an-id", "entity")]
    [InlineData("worthiness=2", "worthiness")]
    [InlineData("size=ten", "size")]
    [InlineData("enrichment.fact-checks.status=matched", "enrichment.fact-checks.status")]
    public async Task An_invalid_parameter_is_a_400_naming_it_before_any_row(string query, string parameter)
    {
        using var response = await service.Client.GetAsync($"/export?{query}", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("format")]
    [InlineData("rows")]
    [InlineData("limit")]
    public async Task Hostile_values_of_the_export_parameters_are_400s_naming_them(string parameter)
    {
        string[] hostile = ["2147483647", "-1", "1e99", "NaN", "null", "csv,ndjson", "claims;articles", "%00", "a%00b", "%FF", "%C3%28", "%E2%80%AE", "%", "%ZZ", "%2e%2e%2f"];
        var failures = new List<string>();
        foreach (var value in hostile)
        {
            using var response = await service.Client.GetAsync($"/export?{parameter}={value}", Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            if (response.StatusCode != HttpStatusCode.BadRequest || !JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(parameter, out _))
            {
                failures.Add($"{parameter}={value}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_export_needs_a_read_key()
    {
        using var anonymous = service.CreateClient(apiKey: null);
        using var read = service.CreateClient(TestApiKeys.Read);
        using var ingest = service.CreateClient(TestApiKeys.Ingest);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/export?q=election", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/export?q=election", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/export?q=election", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("csv", "claims", "text/csv")]
    [InlineData("ndjson", "mentions", "application/x-ndjson")]
    public async Task The_download_is_chunked_without_a_length_and_named_by_rows_and_time(string format, string rows, string mediaType)
    {
        using var response = await service.Client.GetAsync($"/export?q=election&format={format}&rows={rows}", HttpCompletionOption.ResponseHeadersRead, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches($"^{rows}-\\d{{8}}T\\d{{6}}Z\\.{format}$", response.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task An_export_with_no_match_is_a_header_only_csv_and_an_empty_ndjson()
    {
        Assert.Equal([ExportRows.Mentions.Columns.ToArray()], ExportFiles.ParseCsv(await ExportAsync("q=nosuchwordanywhere&rows=mentions")));
        Assert.Empty(await ExportAsync("q=nosuchwordanywhere&format=ndjson"));
    }

    [Fact]
    public async Task The_columns_of_every_row_kind_are_documented()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "exports.md"), Cancel);
        var sections = doc.Split("\n## ");

        foreach (var rows in ExportRows.All)
        {
            var section = Assert.Single(sections, s => s.StartsWith($"`rows={rows.Name}`", StringComparison.Ordinal));
            Assert.All(rows.Columns, c => Assert.Contains($"| `{c}` |", section, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_export()
    {
        var document = await service.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        Assert.True(document.GetProperty("paths").TryGetProperty("/export", out var export), string.Join(", ", document.GetProperty("paths").EnumerateObject().Select(p => p.Name)));
        var get = export.GetProperty("get");

        Assert.True(get.GetProperty("responses").TryGetProperty("200", out var ok), get.ToString());
        var content = ok.GetProperty("content");
        Assert.True(content.TryGetProperty("text/csv", out _));
        Assert.True(content.TryGetProperty("application/x-ndjson", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("400", out _));
        var parameters = get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "format", "rows", "limit", "q", "claim_type" }, parameters.ToHashSet());
    }

    [Fact]
    public async Task Each_export_is_a_span_with_its_format_rows_and_row_count_and_its_rows_are_counted()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Pipeline.Search",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        var counted = new ConcurrentQueue<(long Rows, string? Format)>();
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Pipeline.Search" && instrument.Name == "pipeline.search.export.rows")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            counted.Enqueue((value, tags.ToArray().FirstOrDefault(t => t.Key == "format").Value as string)));
        metrics.Start();

        var rows = await RowsAsync("q=title:hyperlink&rows=claims", "ndjson");

        // The span ends once the last byte is out, which may be just after the client has it.
        var span = await Eventually.HoldsAsync(
            _ => Task.FromResult(spans.FirstOrDefault(a => a.OperationName == "export" && (a.GetTagItem("search.query") as string) == "title:hyperlink")),
            a => a is not null,
            TimeSpan.FromSeconds(10),
            "the export's span has ended",
            Cancel);
        Assert.Equal("ndjson", span!.GetTagItem("export.format"));
        Assert.Equal("claims", span.GetTagItem("export.rows"));
        Assert.Equal((long)rows.Count, span.GetTagItem("export.row_count"));
        Assert.Equal(1, span.GetTagItem("export.articles"));
        Assert.Equal(rows.Count, counted.Where(c => c.Format == "ndjson").Sum(c => c.Rows));
    }
}
