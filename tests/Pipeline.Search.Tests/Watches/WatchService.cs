using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Watches;

/// <summary>
/// The search service's real registration on Kestrel (127.0.0.1) over a Lucene index on disk that the test writes as
/// the indexer would, with its watch database beside the index and short poll and retry times. Can be stopped and
/// started again on the same files, as a restart would.
/// </summary>
public sealed class WatchService : IAsyncDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-watches-");
    readonly Dictionary<string, string?> _settings;
    LoopbackWebApp? _app;

    WatchService(Dictionary<string, string?> settings)
    {
        _settings = settings;
        IndexPath = Path.Combine(_directory.FullName, "index");
        Index = new LuceneArticleIndex(Options.Create(new SearchStoreOptions { LucenePath = IndexPath }));
    }

    public string IndexPath { get; }

    /// <summary>The index as the indexing service writes it.</summary>
    public LuceneArticleIndex Index { get; }

    public HttpClient Client => _app!.Client;

    public IServiceProvider Services => _app!.Services;

    public HttpClient CreateClient(string? apiKey) => _app!.CreateClient(apiKey);

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Starts the service; <paramref name="settings"/> override the test defaults (keys without the Watches: prefix).</summary>
    public static async Task<WatchService> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["PollInterval"] = "00:00:00.200",
            ["Overlap"] = "00:00:05",
            ["AllowPrivateAddresses"] = "true",
            ["WebhookTimeout"] = "00:00:05",
            ["WebhookMaxAttempts"] = "5",
            ["WebhookRetryBaseDelay"] = "00:00:00.100",
            ["WebhookRetryMaxDelay"] = "00:00:00.400",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var service = new WatchService(all);
        await service.StartAgainAsync();
        return service;
    }

    /// <summary>Starts the service (again) on the same index and database.</summary>
    public async Task StartAgainAsync()
    {
        _app = await LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["SearchStore:LucenePath"] = IndexPath;
                foreach (var (key, value) in _settings)
                {
                    builder.Configuration[$"Watches:{key}"] = value;
                }

                builder.AddServiceDefaults();
                builder.AddSearch();
            },
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapSearch();
            });
    }

    /// <summary>Stops the service as a restart would (the database stays).</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Writes the messages as the indexer does; they are searchable when this returns.</summary>
    public async Task WriteAsync(params IArticleMessage[] messages) => Assert.Empty(await Index.WriteAsync(messages, Cancel));

    public async Task<JsonElement> CreateWatchAsync(string name, string query, string? webhookUrl = null)
    {
        var response = await Client.PostAsJsonAsync("/watches", new { name, query, webhookUrl }, Cancel);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"POST /watches answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public async Task<JsonElement> GetAsync(string path) => await Client.GetFromJsonAsync<JsonElement>(path, Cancel);

    /// <summary>Waits until the watch satisfies <paramref name="done"/>; returns it.</summary>
    public Task<JsonElement> WatchUntilAsync(string id, Func<JsonElement, bool> done, string what) =>
        Eventually.HoldsAsync(_ => GetAsync($"/watches/{id}"), done, TimeSpan.FromSeconds(45), what, Cancel);

    /// <summary>Waits for an evaluation of the watch that began after this call (so it saw every write made before it).</summary>
    public async Task<JsonElement> NextEvaluationAsync(string id)
    {
        var after = DateTimeOffset.UtcNow;
        return await WatchUntilAsync(
            id,
            w => w.GetProperty("lastEvaluatedAt").ValueKind == JsonValueKind.String && w.GetProperty("lastEvaluatedAt").GetDateTimeOffset() > after,
            "an evaluation after the last write");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Index.Dispose();
        _directory.Delete(recursive: true);
    }
}
