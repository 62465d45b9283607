using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.Cli;
using Pipeline.Cli.Import;
using Pipeline.Testing;
using Spectre.Console;

namespace Pipeline.Ingestion.Tests;

/// <summary>
/// <c>pipeline import</c> against a real HTTP server on 127.0.0.1 that plays an ingestion API whose broker goes away:
/// 503 with Retry-After, "unavailable" answers mid-batch, a connection dropped mid-answer. The API is idempotent as the
/// real one is (an article it took once is answered duplicate), so what counts is: every line accepted exactly once,
/// no line sent again once it was answered, and a clear stop when the outage outlasts <c>--max-wait</c>.
/// </summary>
public sealed class ImportOutageTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_import_waits_out_503s_a_broker_failing_mid_batch_and_a_dropped_connection_and_loses_or_repeats_nothing()
    {
        var file = await WriteArticlesAsync(300);
        await using var api = await FlakyIngestionApi.StartAsync(
            FlakyIngestionApi.Outage.Refuse, FlakyIngestionApi.Outage.Refuse, FlakyIngestionApi.Outage.FailMidBatch, FlakyIngestionApi.Outage.DropConnection, FlakyIngestionApi.Outage.Refuse);
        try
        {
            var (exit, output, errors) = await ImportAsync(api, file, "--max-wait", "60s");

            Assert.True(exit == 0, output + errors);
            Assert.Equal(5, api.Outages);
            Assert.Equal(Urls(300).Order(), api.Accepted.Order()); // each taken once, none missing
            Assert.Empty(api.ResentAfterAnswer);
            // 100 accepted before the broker failed mid-batch; of the 200 resent, 66 answered and 66 taken unanswered
            // when the connection dropped: those come back duplicate, the last 68 accepted.
            Assert.Contains("234 accepted, 66 duplicate, 0 rejected, 0 failed", output, StringComparison.Ordinal);
            // Retry-After: 2 honoured after a 503 (the back-off alone would have waited 1 s).
            Assert.True(api.Retries[0] >= TimeSpan.FromSeconds(1.9), string.Join(", ", api.Retries));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task While_it_waits_the_progress_display_says_the_broker_is_unavailable_and_for_how_long()
    {
        var file = await WriteArticlesAsync(20);
        await using var api = await FlakyIngestionApi.StartAsync(FlakyIngestionApi.Outage.Refuse, FlakyIngestionApi.Outage.Refuse, FlakyIngestionApi.Outage.Refuse);
        try
        {
            var importer = new ArticleImporter(api.CreateClient(TestApiKeys.Ingest), new Dictionary<string, string>(), new ImportRetry(TimeSpan.FromMinutes(1)));
            var seen = new List<string>();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
            ArticleImporter.Counts? counts = null;
            await console.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("Importing", maxValue: 1);
                var import = importer.ImportFileAsync(file, task, Cancel);
                while (!import.IsCompleted)
                {
                    if (seen.Count == 0 || seen[^1] != task.Description)
                    {
                        seen.Add(task.Description);
                    }

                    await Task.Delay(50, Cancel);
                }

                counts = await import;
                seen.Add(task.Description);
            });

            Assert.Equal(20, counts!.Accepted);
            Assert.Contains(seen, d => d.StartsWith("Importing [yellow]broker unavailable, waiting… ", StringComparison.Ordinal) && d.Contains(" s, retrying in ", StringComparison.Ordinal));
            Assert.Contains(seen, d => d.Contains("waiting… 2 s", StringComparison.Ordinal)); // three 1 s waits: the outage's length, not the last pause
            Assert.Equal("Importing", seen[^1]); // back to the plain description once the outage is over
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_outage_longer_than_max_wait_stops_with_a_message_naming_the_first_line_not_sent()
    {
        var file = await WriteArticlesAsync(50);
        await using var api = await FlakyIngestionApi.StartAsync([.. Enumerable.Repeat(FlakyIngestionApi.Outage.Refuse, 1_000)]);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (exit, output, errors) = await ImportAsync(api, file, "--max-wait", "3s");

            Assert.Equal(3, exit);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20));
            Assert.Empty(api.Accepted);
            Assert.Contains("the ingestion API was unavailable for 3 s", errors, StringComparison.Ordinal);
            Assert.Contains($"stopped at {Path.GetFileName(file)} line 1, the first line not sent", errors, StringComparison.Ordinal);
            Assert.Contains("--max-wait 3 s", errors, StringComparison.Ordinal);
            Assert.Contains("importing again is safe", errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    static IEnumerable<string> Urls(int count) => Enumerable.Range(1, count).Select(i => $"https://news.example/outage/{i}");

    static async Task<string> WriteArticlesAsync(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"import-outage-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, Urls(count).Select(url => JsonSerializer.Serialize(new { url, title = "Outage " + url, text = "A story that waits for its broker. " + url })), Cancel);
        return path;
    }

    static async Task<(int Exit, string Output, string Errors)> ImportAsync(FlakyIngestionApi api, string path, params string[] options)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await PipelineCommand.Create(output, errors)
            .Parse(["import", path, "--api", api.Address.ToString(), "--api-key", TestApiKeys.Ingest, .. options])
            .InvokeAsync(new() { Output = output, Error = errors }, Cancel);
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>
    /// POST /articles/batch answering as the ingestion API does, with one outage per request from a script until the
    /// script runs out: idempotent by URL (taken once, answered duplicate after), line by line NDJSON answers.
    /// </summary>
    sealed class FlakyIngestionApi : IAsyncDisposable
    {
        public enum Outage
        {
            /// <summary>503 with Retry-After: 2 for the whole batch (the broker was down before anything was accepted).</summary>
            Refuse,

            /// <summary>The first third of the lines accepted, the rest "unavailable" (the broker failed mid-batch).</summary>
            FailMidBatch,

            /// <summary>The first third taken and answered, the second third taken but the connection dropped before its answers.</summary>
            DropConnection,
        }

        readonly Queue<Outage> _script;
        readonly HashSet<string> _taken = new(StringComparer.Ordinal);
        readonly HashSet<string> _answered = new(StringComparer.Ordinal);
        readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? _lastOutage;
        LoopbackWebApp? _app;

        FlakyIngestionApi(Outage[] script) => _script = new(script);

        public List<string> Accepted { get; } = [];

        public List<string> ResentAfterAnswer { get; } = [];

        public List<TimeSpan> Retries { get; } = [];

        public int Outages { get; private set; }

        public Uri Address => _app!.Client.BaseAddress!;

        public HttpClient CreateClient(string apiKey) => _app!.CreateClient(apiKey);

        public static async Task<FlakyIngestionApi> StartAsync(params Outage[] script)
        {
            var api = new FlakyIngestionApi(script);
            api._app = await LoopbackWebApp.StartAsync(_ => { }, app => app.MapPost("/articles/batch", api.HandleAsync));
            return api;
        }

        async Task HandleAsync(HttpContext context)
        {
            var urls = new List<string>();
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
            {
                while (await reader.ReadLineAsync(context.RequestAborted) is { } line)
                {
                    urls.Add(JsonDocument.Parse(line).RootElement.GetProperty("url").GetString()!);
                }
            }

            Outage? outage;
            lock (_script)
            {
                if (_lastOutage is { } last)
                {
                    Retries.Add(_clock.Elapsed - last);
                }

                outage = _script.TryDequeue(out var next) ? next : null;
                _lastOutage = outage is null ? null : _clock.Elapsed;
                Outages += outage is null ? 0 : 1;
                ResentAfterAnswer.AddRange(urls.Where(_answered.Contains));
            }

            if (outage == Outage.Refuse)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "2";
                await context.Response.WriteAsJsonAsync(new { title = "The message broker is unavailable", detail = "test outage" }, context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/x-ndjson";
            var third = urls.Count / 3;
            for (var i = 0; i < urls.Count; i++)
            {
                if (outage == Outage.DropConnection && i == third)
                {
                    // The API took the next third (published) but dies before it can answer them.
                    lock (_script)
                    {
                        foreach (var url in urls.Skip(third).Take(third).Where(_taken.Add))
                        {
                            Accepted.Add(url);
                        }
                    }

                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(200, context.RequestAborted);
                    context.Abort();
                    return;
                }

                object answer;
                if (outage == Outage.FailMidBatch && i >= third)
                {
                    answer = new { line = i + 1, status = "unavailable", reason = "Not processed: the broker became unavailable." };
                }
                else
                {
                    bool taken;
                    lock (_script)
                    {
                        taken = _taken.Add(urls[i]);
                        if (taken)
                        {
                            Accepted.Add(urls[i]);
                        }

                        _answered.Add(urls[i]);
                    }

                    answer = taken
                        ? new { line = i + 1, status = "accepted", articleId = urls[i] }
                        : new { line = i + 1, status = "duplicate", articleId = urls[i] };
                }

                await context.Response.WriteAsync(JsonSerializer.Serialize(answer) + "\n", context.RequestAborted);
            }

            await context.Response.WriteAsync(JsonSerializer.Serialize(new { summary = new { lines = urls.Count } }) + "\n", context.RequestAborted);
        }

        public async ValueTask DisposeAsync() => await _app!.DisposeAsync();
    }
}
