using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

public sealed class BatchTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_line_gets_its_own_answer_in_order_and_only_new_valid_articles_are_published()
    {
        await using var host = await IngestionHost.StartAsync(harness: true, new Dictionary<string, string?> { ["Ingestion:MaxArticleBytes"] = "65536" });
        var story = Story("Parliament voted on the budget");
        string[] lines =
        [
            Line("https://example.com/budget?utm_source=x", "Budget", story),               // 1 accepted
            "{not json",                                                                    // 2 rejected: line
            Line("https://example.com/budget#comments", "Budget again", story),             // 3 duplicate: same URL and text
            "",                                                                             // 4 blank: no answer
            Line("https://example.com/empty", "Empty", "   "),                              // 5 rejected: text
            Line("ftp://example.com/file", "FTP", "Some text here."),                       // 6 rejected: url
            Line("https://mirror.example.org/budget-copy", "Copy", story + " Share this."), // 7 duplicate: near
            Line("https://example.com/giant", "Giant", new string('x', 70_000)),           // 8 rejected: line too long
            Line("https://example.com/other", "Other", OtherStory), // 9 accepted
        ];

        var (results, summary) = await PostBatchAsync(host.Client, string.Join("\n", lines) + "\n");

        Assert.Equal([1, 2, 3, 5, 6, 7, 8, 9], results.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(
            ["accepted", "rejected", "duplicate", "rejected", "rejected", "duplicate", "rejected", "accepted"],
            results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("line", results[1].GetProperty("field").GetString());
        Assert.Equal("text", results[3].GetProperty("field").GetString());
        Assert.Equal("url", results[4].GetProperty("field").GetString());
        Assert.Equal("line", results[6].GetProperty("field").GetString());
        var first = results[0].GetProperty("articleId").GetString();
        Assert.Equal(first, results[2].GetProperty("duplicateOf").GetString());
        Assert.Equal(first, results[5].GetProperty("duplicateOf").GetString());
        Assert.Contains("near-duplicate", results[5].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(2, summary.GetProperty("duplicate").GetInt32());
        Assert.Equal(4, summary.GetProperty("rejected").GetInt32());

        var published = host.Harness().Published.Select<ArticleIngested>(Cancel).Select(p => p.Context.Message.ArticleId).ToList();
        Assert.Equal([first!, results[7].GetProperty("articleId").GetString()!], published);
    }

    [Fact]
    public async Task Reasons_name_the_real_line_number_with_blank_lines_and_crlf_line_ends()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        var lines = new List<string>
        {
            "{\"text\": ",                                                   // 1: broken JSON
            Line("https://example.com/two", "Two", Story("The second line")), // 2
            "{\"text\": \"Three\", \"published\": 42}",                     // 3: wrong type
            "",                                                               // 4: blank
        };
        while (lines.Count < 998)
        {
            lines.Add(lines.Count % 2 == 0 ? "" : "   ");                      // 5-998: blank or spaces only
        }

        lines.Add("[1, 2, 3]");                                               // 999: not an object
        lines.Add("{\"text\": \"x\",, }");                                    // 1000: broken JSON

        var (results, summary) = await PostBatchAsync(host.Client, string.Join("\r\n", lines) + "\r\n");

        Assert.Equal([1, 2, 3, 999, 1000], results.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(["rejected", "accepted", "rejected", "rejected", "rejected"], results.Select(r => r.GetProperty("status").GetString()));
        foreach (var result in results.Where(r => r.GetProperty("status").GetString() == "rejected"))
        {
            var number = result.GetProperty("line").GetInt32();
            var reason = result.GetProperty("reason").GetString()!;
            Assert.Contains($"(line {number}, byte ", reason, StringComparison.Ordinal);
            Assert.True(number == 1 || !reason.Contains("line 1,", StringComparison.Ordinal), reason);
        }

        Assert.Equal("published", results[2].GetProperty("field").GetString());
        Assert.Equal(4, summary.GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task A_line_with_html_and_a_relative_url_is_rejected_on_its_own_and_the_batch_goes_on()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        string[] lines =
        [
            Line("https://example.com/before", "Before", Story("The council met")),
            JsonSerializer.Serialize(new { url = "news/senate-budget", html = HtmlAndNormalisationTests.NewsPage }),
            Line("https://example.com/after", "After", OtherStory),
        ];

        var (results, summary) = await PostBatchAsync(host.Client, string.Join("\n", lines) + "\n");

        Assert.Equal(["accepted", "rejected", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("url", results[1].GetProperty("field").GetString());
        Assert.Equal(1, summary.GetProperty("rejected").GetInt32());
        Assert.Equal(2, host.Harness().Published.Select<ArticleIngested>(Cancel).Count());
    }

    [Fact]
    public async Task A_batch_sent_while_the_broker_is_unreachable_gets_a_503_with_retry_after()
    {
        await using var host = await IngestionHost.StartAsync(harness: false, new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{Pipeline.Processes.FreePorts.Next()}",
            ["Messaging:PublishTimeout"] = "00:00:02",
        });
        var body = Line("https://example.com/down/1", "One", Story("The first article")) + "\n" + Line("https://example.com/down/2", "Two", OtherStory) + "\n";

        using var response = await host.Client.PostAsync("/articles/batch", new StringContent(body, Encoding.UTF8, "application/x-ndjson"), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Thousands_of_lines_stream_through_and_each_distinct_article_is_published_once()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        var body = new StringBuilder();
        const int Articles = 3_000;
        for (var i = 0; i < Articles; i++)
        {
            body.Append(Line($"https://example.com/a/{i}", $"Article {i}", $"Article number {i} says something distinct: {Guid.NewGuid()}.")).Append('\n');
        }

        var (results, summary) = await PostBatchAsync(host.Client, body.ToString());

        Assert.Equal(Articles, results.Count);
        Assert.All(results, r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range(1, Articles), results.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(Articles, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(Articles, host.Harness().Published.Select<ArticleIngested>(Cancel).Select(p => p.Context.Message.ArticleId).Distinct().Count());
    }

    [Fact]
    public async Task Duplicates_are_recognised_after_a_restart_when_state_is_persisted()
    {
        var directory = Directory.CreateTempSubdirectory("ingestion-state-");
        var settings = new Dictionary<string, string?> { ["Ingestion:DataDirectory"] = directory.FullName };
        var article = new { url = "https://example.com/restart", title = "Restart", text = Story("The service restarted") };
        try
        {
            await using (var first = await IngestionHost.StartAsync(harness: true, settings))
            {
                Assert.Equal(HttpStatusCode.Accepted, (await first.Client.PostAsJsonAsync("/articles", article, Cancel)).StatusCode);
            }

            await using var second = await IngestionHost.StartAsync(harness: true, settings);
            var response = await second.Client.PostAsJsonAsync("/articles", article, Cancel);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Equal("duplicate", answer.GetProperty("status").GetString());
            Assert.False(await second.Harness().Published.Any<ArticleIngested>(Cancel));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    const string OtherStory =
        "The central bank raised interest rates by a quarter point on Wednesday, its third increase this year, citing " +
        "stubborn inflation in services and a labour market that remains tight. Markets had expected the move; the " +
        "currency barely moved while bond yields edged higher in early trading across the region.";

    internal static string Line(string url, string title, string text) => JsonSerializer.Serialize(new { url, title, text });

    /// <summary>A text long enough for near-duplicate detection (dozens of words), distinct per headline.</summary>
    internal static string Story(string headline) =>
        $"{headline}, officials said on Tuesday, after a long debate that lasted well into the night. " +
        "The opposition criticised the plan as rushed and warned that the numbers did not add up, while the " +
        "government insisted the figures had been checked by independent auditors and would hold. Analysts expect " +
        "further votes in the coming weeks as committees examine the details of every line item in the proposal.";

    internal static async Task<(List<JsonElement> Results, JsonElement Summary)> PostBatchAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/articles/batch", new StringContent(body, Encoding.UTF8, "application/x-ndjson"), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var summary = lines[^1].GetProperty("summary");
        return (lines[..^1], summary);
    }
}
