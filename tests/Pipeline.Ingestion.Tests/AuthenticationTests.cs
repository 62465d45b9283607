using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

/// <summary>Every ingestion endpoint needs the right API key; health and the OpenAPI document do not.</summary>
public sealed class AuthenticationTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static HttpRequestMessage Article() => new(HttpMethod.Post, "/articles") { Content = JsonContent.Create(new { text = "Biden met Xi in San Francisco." }) };

    static readonly Func<HttpRequestMessage>[] Submissions =
    [
        Article,
        () => new(HttpMethod.Post, "/articles/batch") { Content = new StringContent("{\"text\":\"Biden met Xi.\"}\n", Encoding.UTF8, "application/x-ndjson") },
        () => new(HttpMethod.Post, "/articles/html?url=https://example.com/a") { Content = new StringContent("<html><body><p>Biden met Xi.</p></body></html>", Encoding.UTF8, "text/html") },
        () => new(HttpMethod.Get, "/feeds"),
        () => new(HttpMethod.Post, "/feeds") { Content = JsonContent.Create(new { url = "https://example.com/feed.xml" }) },
        () => new(HttpMethod.Delete, "/feeds/unknown"),
    ];

    [Fact]
    public async Task Without_a_key_or_with_a_wrong_one_every_submission_is_a_401_problem_and_nothing_is_published()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        using var anonymous = host.CreateClient(apiKey: null);
        using var wrong = host.CreateClient("not-one-of-the-keys-at-all");

        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var submission in Submissions)
            {
                using var response = await client.SendAsync(submission(), Cancel);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("X-Api-Key", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
                Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }

        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task The_ingest_key_submits_but_may_not_pause_and_a_read_key_may_do_neither()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        using var ingest = host.CreateClient(TestApiKeys.Ingest);
        using var read = host.CreateClient(TestApiKeys.Read);

        using var accepted = await ingest.SendAsync(Article(), Cancel);
        using var pause = await ingest.PostAsync("/admin/ingestion/pause", null, Cancel);
        using var readSubmits = await read.SendAsync(Article(), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pause.StatusCode);
        Assert.Contains("admin", (await pause.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, readSubmits.StatusCode);
        Assert.Single(host.Harness().Published.Select<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task The_admin_key_pauses_and_resumes_and_health_and_openapi_need_no_key()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        using var admin = host.CreateClient(TestApiKeys.Admin);
        using var anonymous = host.CreateClient(apiKey: null);

        using var pause = await admin.PostAsync("/admin/ingestion/pause", null, Cancel);
        using var resume = await admin.PostAsync("/admin/ingestion/resume", null, Cancel);
        using var anonymousPause = await anonymous.PostAsync("/admin/ingestion/pause", null, Cancel);

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPause.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_start_without_keys_stops_naming_the_setting_unless_authentication_is_disabled()
    {
        var missing = await Assert.ThrowsAsync<OptionsValidationException>(() => IngestionHost.StartAsync(harness: true, NoKeys()));
        Assert.Contains("Auth:IngestKeys", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Disabled", missing.Message, StringComparison.Ordinal);

        var settings = NoKeys();
        settings["Auth:Disabled"] = "true";
        await using var open = await IngestionHost.StartAsync(harness: true, settings);
        using var anonymous = open.CreateClient(apiKey: null);
        using var response = await anonymous.SendAsync(Article(), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        static Dictionary<string, string?> NoKeys() => new() { ["Auth:IngestKeys:0"] = null, ["Auth:ReadKeys:0"] = null, ["Auth:AdminKeys:0"] = null };
    }
}
