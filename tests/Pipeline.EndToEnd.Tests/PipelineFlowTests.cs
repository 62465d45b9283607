using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Cli;
using Pipeline.Testing;

namespace Pipeline.EndToEnd.Tests;

public sealed class PipelineFlowTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sample_article_submitted_to_ingestion_is_found_through_search_with_claims_and_entities()
    {
        var text = await File.ReadAllTextAsync(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"), Cancel);
        using var ingestion = pipeline.Ingestion.CreateClient();
        using var search = pipeline.Search.CreateClient();

        var response = await ingestion.PostAsJsonAsync(
            "/articles",
            new { title = "China promised Biden it would not interfere in the 2024 elections", url = "https://dailycaller.com/2024/01/30/china-biden-election-promise/", text },
            Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var articleId = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("articleId").GetString();

        var hit = await WaitForHitAsync(search, "/search?q=%22Xi%20Jinping%22%20interfere", articleId!, h => h.GetProperty("enrichers").GetArrayLength() == 2);

        Assert.Equal(["claims", "entities"], hit.GetProperty("enrichers").EnumerateArray().Select(e => e.GetString()));
        Assert.True(hit.GetProperty("claimCount").GetInt32() > 0);

        var article = await search.GetFromJsonAsync<JsonElement>($"/articles/{articleId}", Cancel);
        var claims = article.GetProperty("enrichments").GetProperty("claims").GetProperty("payload").GetProperty("claims");
        Assert.Contains(claims.EnumerateArray(), c => c.GetProperty("text").GetString()!.Contains("Xi Jinping assured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_import_makes_every_article_searchable_exactly_once_even_when_imported_twice()
    {
        var source = RepositoryPaths.RequireSharedFile("articles/fakenewsnet-2018.jsonl");
        var file = Path.Combine(Path.GetTempPath(), $"import-{Guid.NewGuid():N}.jsonl");
        var lines = File.ReadLines(source).Skip(100).Take(30).ToList();
        await File.WriteAllLinesAsync(file, lines, Cancel);
        using var search = pipeline.Search.CreateClient();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                var output = new StringWriter();
                var errors = new StringWriter();
                var exit = await PipelineCommand.Create(output, errors)
                    .Parse(["import", file, "--api", pipeline.Ingestion.Address.ToString(), "--api-key", pipeline.Ingestion.AdminKey!])
                    .InvokeAsync(new() { Output = output, Error = errors }, Cancel);
                Assert.True(exit == 0, $"{output}\n{errors}");
                // The second import finds every article already accepted: duplicates, not published again.
                Assert.Contains(round == 0 ? "30 accepted, 0 duplicate, 0 rejected, 0 failed" : "0 accepted, 30 duplicate, 0 rejected, 0 failed", output.ToString(), StringComparison.Ordinal);
            }

            var titles = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("title").GetString()!).ToList();
            foreach (var title in titles.Take(5))
            {
                var query = "/search?size=50&q=" + Uri.EscapeDataString($"title:\"{title.Replace("\"", "", StringComparison.Ordinal)}\"");
                var results = await WaitForResultsAsync(search, query, r => r.GetProperty("total").GetInt64() >= 1);
                Assert.Equal(1, results.GetProperty("hits").EnumerateArray().Count(h => h.GetProperty("title").GetString() == title));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    async Task<JsonElement> WaitForHitAsync(HttpClient search, string query, string articleId, Func<JsonElement, bool> done)
    {
        JsonElement? hit = null;
        await WaitForResultsAsync(search, query, results =>
        {
            hit = results.GetProperty("hits").EnumerateArray().Where(h => h.GetProperty("articleId").GetString() == articleId).Cast<JsonElement?>().FirstOrDefault();
            return hit is { } h && done(h);
        });
        return hit!.Value;
    }

    async Task<JsonElement> WaitForResultsAsync(HttpClient search, string query, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement results = default;
        while (DateTime.UtcNow < deadline)
        {
            results = await search.GetFromJsonAsync<JsonElement>(query, Cancel);
            if (done(results))
            {
                return results;
            }

            await Task.Delay(200, Cancel);
        }

        Assert.Fail($"Search '{query}' did not reach the expected state within 60 s; last answer: {results}\n{pipeline.Diagnostics()}");
        return results;
    }
}
