using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit.Testing;
using Pipeline.Contracts;

namespace Pipeline.Ingestion.Tests;

/// <summary>The operator's pause switch, on real Kestrel, over the service's real registration.</summary>
public sealed class IngestionPauseTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static object Article(int i) => new { url = $"https://example.com/news/{i}", title = "Summit", text = "Joe Biden met Xi Jinping in San Francisco." };

    [Fact]
    public async Task A_paused_ingestion_answers_503_with_retry_after_and_publishes_nothing_until_resumed()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        using var paused = await host.Client.PostAsync("/admin/ingestion/pause", null, Cancel);
        using var refused = await host.Client.PostAsJsonAsync("/articles", Article(1), Cancel);
        var state = await host.Client.GetFromJsonAsync<JsonElement>("/admin/ingestion", Cancel);

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("30", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("paused", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.OrdinalIgnoreCase);
        Assert.True(state.GetProperty("paused").GetBoolean());
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));

        using var resumed = await host.Client.PostAsync("/admin/ingestion/resume", null, Cancel);
        using var accepted = await host.Client.PostAsJsonAsync("/articles", Article(2), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Single(host.Harness().Published.Select<ArticleIngested>(Cancel));
        Assert.False((await host.Client.GetFromJsonAsync<JsonElement>("/admin/ingestion", Cancel)).GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Health_and_reads_keep_working_while_paused()
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        await host.Client.PostAsync("/admin/ingestion/pause", null, Cancel);

        using var openApi = await host.Client.GetAsync("/openapi/v1.json", Cancel);

        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("/admin/ingestion/pause", await openApi.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }
}
