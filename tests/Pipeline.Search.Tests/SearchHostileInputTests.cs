using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// What a hostile tester sends to every search endpoint (from <c>SearchEndpoints</c>) over real HTTP with the read key:
/// overflowing and odd numbers, NUL bytes, percent-encodings that are not UTF-8, values past every limit, deep query
/// nesting, forged cursors, unknown enum values, malformed dates, huge headers. Never a 5xx; a 400 is a problem
/// naming the parameter; and the service stays healthy.
/// </summary>
public sealed class SearchHostileInputTests(SearchServiceFixture service) : IClassFixture<SearchServiceFixture>, IDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly HttpClient _reader = service.CreateClient(TestApiKeys.Read);

    /// <summary>Raw (already percent-encoded) values no parameter accepts as a number, enum, date, QID or cursor.</summary>
    static readonly string[] HostileValues =
    [
        "2147483647", "-2147483648", "-1", "1e99", "99999999999999999999", "NaN", "Infinity", "0x10", "%D9%A1",
        "%00", "a%00b", "%C3%28", "%FF", "%E2%80%AE", "%", "%ZZ", "[::1]", "::ffff:127.0.0.1", "null", "1;DROP",
        "%2e%2e%2f", "2024-13-45", "2024-02-30T25:61:00Z", "0001-01-01T00:00:00%2B14:00",
    ];

    /// <summary>
    /// Each endpoint with each parameter it reads: <c>Strict</c> ones (numbers, enums, dates, QIDs, cursors, facet
    /// names) must answer 400 naming the parameter for every hostile value; free text may also find nothing (200).
    /// </summary>
    public static TheoryData<string, string, bool> Parameters => new()
    {
        { "/search?", "q", false },
        { "/search?", "size", true },
        { "/search?", "from", true },
        { "/search?", "cursor", true },
        { "/search?", "sort", true },
        { "/search?", "entity", true },
        { "/search?", "claim_entity", true },
        { "/search?", "entity_type", false },
        { "/search?", "claim_type", false },
        { "/search?", "worthiness", true },
        { "/search?", "worthiness>", true },
        { "/search?", "attribution", false },
        { "/search?", "outlet", false },
        { "/search?", "language", false },
        { "/search?", "status", false },
        { "/search?", "published_from", true },
        { "/search?", "published_to", true },
        { "/search?", "facet", true },
        { "/search?facet=entity&", "facet_size", true },
        { "/search?facet=published&", "interval", true },
        { "/search?", "highlight", true },
        { "/search?", "enrichment.fact-checks.status", false },
        { "/entities/Q15031?", "worthiness", true },
        { "/entities/Q15031?", "interval", true },
        { "/suggest/entities?", "prefix", false },
        { "/suggest/entities?prefix=jin&", "size", true },
        { "/charts?", "bucket", true },
        { "/charts?", "top", true },
        { "/charts?", "q", false },
        { "/charts?", "entity", true },
        { "/charts?", "worthiness", true },
        { "/charts?", "published_from", true },
        { "/charts?", "outlet", false },
    };

    [Theory]
    [MemberData(nameof(Parameters))]
    public async Task Hostile_query_parameters_are_never_a_server_error_and_a_400_names_the_parameter(string path, string parameter, bool strict)
    {
        var failures = new List<string>();
        foreach (var value in HostileValues)
        {
            // worthiness>=x arrives as the key "worthiness>"; the problem names the parameter, worthiness.
            var url = $"{path}{parameter}={value}";
            if (await ProblemWith(url, parameter.TrimEnd('>'), strict ? HttpStatusCode.BadRequest : null) is { } failure)
            {
                failures.Add(failure);
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("/articles/", "id")]
    [InlineData("/entities/", "qid")]
    public async Task Hostile_path_segments_are_never_a_server_error(string path, string parameter)
    {
        var failures = new List<string>();
        foreach (var value in HostileValues.Append("Q1%20OR%20*:*").Append("XYZ").Append(new string('Q', 5_000)))
        {
            if (await ProblemWith(path + value, parameter, expected: null) is { } failure)
            {
                failures.Add(failure);
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("Q1%20OR%20*:*")]
    [InlineData("Q0")]
    [InlineData("q30")]
    [InlineData("Q030")]
    [InlineData("Q-1")]
    [InlineData("P31")]
    [InlineData("nil:")]
    [InlineData("nil:3f9a1c0b7d2")]
    [InlineData("nil:3f9a1c0b7d2e0")]
    [InlineData("nil:3F9A1C0B7D2E")]
    [InlineData("NIL:3f9a1c0b7d2e")]
    [InlineData("nil:3f9a1c0b7d2g")]
    [InlineData("nil:3f9a1c0b%207d2e")]
    [InlineData("nil%3A3f9a1c0b7d2e%20")]
    [InlineData("nil:volt-harbor")]
    public async Task An_entity_id_that_is_not_a_qid_is_a_400_naming_it(string qid) =>
        Assert.Null(await ProblemWith($"/entities/{qid}", "qid", HttpStatusCode.BadRequest));

    [Theory]
    [InlineData("nil:3f9a1c0b7d2")]
    [InlineData("nil:3F9A1C0B7D2E")]
    [InlineData("nil:*")]
    [InlineData("Q30,nil:volt")]
    public async Task An_entity_filter_that_is_neither_a_qid_nor_an_emerging_id_is_a_400_naming_it(string entity) =>
        Assert.Null(await ProblemWith($"/search?entity={Uri.EscapeDataString(entity)}", "entity", HttpStatusCode.BadRequest));

    [Fact]
    public async Task A_nul_byte_in_the_path_is_refused_by_kestrel_before_routing()
    {
        var response = await _reader.GetAsync("/entities/Q30%00", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Q999999999", "")]
    [InlineData("Q999999999", "?worthiness=0.5")]
    [InlineData("Q99999999999999999999", "")]
    [InlineData("nil:000000000000", "")]
    public async Task A_qid_no_indexed_article_mentions_is_a_404_problem(string qid, string query)
    {
        var response = await _reader.GetAsync($"/entities/{qid}{query}", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(qid, (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mentioned_qid_is_found_even_when_no_claim_reaches_the_worthiness_asked_for()
    {
        var page = await _reader.GetFromJsonAsync<JsonElement>("/entities/Q15031?worthiness=1", Cancel);

        Assert.Equal(service.Corpus.Count(a => a.Qids.Contains("Q15031") && a.MaxWorthiness >= 1), page.GetProperty("articles").GetInt64());
    }

    public static TheoryData<string, string> InvalidSearches => new()
    {
        { "/search?q=x&from=2147483647", "from" },
        { "/search?from=2147483600&size=100", "from" },
        { "/search?from=9901&size=100", "from" },
        { "/search?facet_size=2147483647", "facet_size" },
        { "/search?facet_size=0", "facet_size" },
        { "/search?facet=entity&facet_size=101", "facet_size" },
        { "/search?published_from=2024-02-01&published_to=2024-01-01", "published_from" },
        { "/search?q=/[/", "q" },
        { "/search?q=title:/(/", "q" },
        { "/search?q=*foo", "q" },
        { "/search?q=title:[a%20TO", "q" },
        { "/search?q=%5C", "q" },
        { "/search?q=" + "(" + "a", "q" },
        { $"/search?q={new string('(', 1_000)}a{new string(')', 1_000)}", "q" },
        { $"/search?q={new string('a', 5_000)}", "q" },
        { $"/search?entity_type={string.Join(",", Enumerable.Repeat("PER", 101))}", "entity_type" },
        { $"/search?{string.Join("&", Enumerable.Repeat("outlet=example.com", 101))}", "outlet" },
        { $"/search?entity={string.Join(",", Enumerable.Range(1, 101).Select(i => $"Q{i}"))}", "entity" },
        { $"/search?{string.Join("&", Enumerable.Range(0, 21).Select(i => $"facet=enrichment.e{i}.f"))}", "facet" },
        { "/search?size=1&size=2", "size" },
        { "/search?entity=XYZ", "entity" },
        { "/search?entity=Q1%20OR%20*:*", "entity" },
        { "/search?%FF=1", "%FF" },
        { "/suggest/entities?prefix=%00", "prefix" },
    };

    [Theory]
    [MemberData(nameof(InvalidSearches))]
    public async Task Out_of_range_numbers_syntax_errors_and_too_many_values_are_400s_naming_the_parameter(string url, string parameter) =>
        Assert.Null(await ProblemWith(url, parameter, HttpStatusCode.BadRequest));

    public static TheoryData<string> ForgedCursors => new()
    {
        "x", "%00", "AAAA", "____", Token("not json at all"), Token("null"), Token("[]"), Token("{}"), Token("""{"S":0,"V":1,"Id":""}"""),
        Token("""{"S":2,"V":1,"Id":"a"}"""), Token("""{"S":99,"V":1,"Id":"a"}"""), Token("""{"S":0,"V":1e308,"Id":"a"}"""),
        Token("""{"S":0,"V":"NaN","Id":"a"}"""), Token("""{"S":0,"V":1,"Id":5}"""), Token(new string('[', 10_00) + new string(']', 10_00)),
        Token($$"""{"S":0,"V":1,"Id":"{{new string('a', 2_000)}}"}"""),
    };

    [Theory]
    [MemberData(nameof(ForgedCursors))]
    public async Task A_forged_or_garbage_cursor_is_a_400_naming_cursor(string cursor) =>
        Assert.Null(await ProblemWith($"/search?cursor={cursor}", "cursor", HttpStatusCode.BadRequest));

    [Theory]
    [InlineData("""{"S":2,"V":1e300,"Id":"a"}""")]
    [InlineData("""{"S":2,"V":0.5,"Id":"a"}""")]
    [InlineData("""{"S":2,"V":-1e300,"Id":"a"}""")]
    public async Task A_cursor_whose_date_no_article_can_have_is_a_400_naming_cursor(string json) =>
        Assert.Null(await ProblemWith($"/search?sort=oldest&cursor={Token(json)}", "cursor", HttpStatusCode.BadRequest));

    [Theory]
    [InlineData("a~99999999999999999999")]
    [InlineData("%22a%20b%22~99999999999999999999")]
    [InlineData("a%5E99999999999999999999")]
    [InlineData("a%5E-1")]
    [InlineData("/(a%7Caa)*b/")]
    [InlineData("/.*.*.*.*.*.*.*.*.*.*/")]
    [InlineData("/(.*a)%7B20%7D/")]
    [InlineData("/((a%7Cb)*c)%7B50%7D/")]
    [InlineData("/[a-z]%7B1000%7D/")]
    [InlineData("e*")]
    [InlineData("?")]
    [InlineData("[::1]")]
    [InlineData("title:%5B%2A%20TO%20%2A%5D")]
    [InlineData("%2B-%2B-a")]
    [InlineData("enrichment.nobody.field:x")]
    public async Task Odd_query_syntax_is_answered_or_refused_never_a_server_error(string q) =>
        Assert.Null(await ProblemWith($"/search?q={q}", "q", expected: null));

    [Theory]
    [InlineData(100_000)]
    [InlineData(10_000)]
    public async Task A_query_longer_than_kestrel_takes_is_refused_with_a_4xx(int length)
    {
        var nested = new string('(', length) + "a" + new string(')', length);

        Assert.Null(await ProblemWith($"/search?q={nested}", "q", expected: null));
        Assert.Null(await ProblemWith($"/search?q={new string('a', length)}", "q", expected: null));
    }

    [Fact]
    public async Task A_64_kb_header_is_a_4xx()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/search?q=x");
        request.Headers.Add("X-Hostile", new string('h', 64 * 1024));

        var response = await _reader.SendAsync(request, Cancel);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task After_a_burst_of_hostile_requests_the_service_is_healthy_and_still_searches()
    {
        foreach (var value in HostileValues)
        {
            foreach (var url in new[] { $"/search?q={value}&size={value}&from={value}&cursor={value}", $"/entities/{value}", $"/articles/{value}", $"/suggest/entities?prefix={value}&size={value}" })
            {
                Assert.InRange((int)(await _reader.GetAsync(url, Cancel)).StatusCode, 200, 499);
            }
        }

        var health = await _reader.GetAsync("/health", Cancel);
        var results = await _reader.GetFromJsonAsync<JsonElement>("/search?q=Jinping&size=5", Cancel);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(service.Corpus.Count(a => a.Article.Title.Contains("Jinping", StringComparison.Ordinal) || a.Article.Text.Contains("Jinping", StringComparison.Ordinal)), results.GetProperty("total").GetInt64());
    }

    /// <summary>
    /// Why the answer to <paramref name="url"/> is wrong, or null: never a 5xx; <paramref name="expected"/> when given;
    /// a 400 from the service is a problem naming <paramref name="parameter"/>.
    /// </summary>
    async Task<string?> ProblemWith(string url, string parameter, HttpStatusCode? expected)
    {
        using var response = await _reader.GetAsync(new Uri(url, UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        var shown = url.Length > 120 ? url[..120] + "…" : url;
        if ((int)response.StatusCode >= 500 || (expected is { } status && response.StatusCode != status))
        {
            return $"{shown}: HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}";
        }

        if (response.StatusCode != HttpStatusCode.BadRequest || body.Length == 0 && expected is null)
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{shown}: a 400 that is not a problem: {body}";
        }

        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(parameter, out _)
            ? null
            : $"{shown}: the problem does not name {parameter}: {body}";
    }

    static string Token(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public void Dispose() => _reader.Dispose();
}
