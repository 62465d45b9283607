using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Cli.Import;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline import FILE.jsonl</c>: posts every line's article to the ingestion API, with a progress bar.</summary>
public static class ImportCommand
{
    const int Attempts = 5;

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON Lines file, one article object per line." };
        var api = new Option<Uri>("--api")
        {
            Description = "Base URL of the ingestion API.",
            DefaultValueFactory = _ => new Uri("http://localhost:5101"),
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"--api must be an absolute http(s) URL, got '{text}'.");
                return null;
            },
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Requests in flight at once.",
            DefaultValueFactory = _ => 8,
        };
        var command = new Command("import", "Import articles from a JSON Lines file into a running pipeline.") { file, api, concurrency };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                await errors.WriteLineAsync($"error: {path.FullName} does not exist.");
                return 2;
            }

            var parallelism = parse.GetValue(concurrency);
            if (parallelism < 1)
            {
                await errors.WriteLineAsync("error: --concurrency must be at least 1.");
                return 2;
            }

            using var http = new HttpClient { BaseAddress = parse.GetRequiredValue(api), Timeout = TimeSpan.FromSeconds(60) };
            var report = await ImportAsync(path.FullName, http, parallelism, errors, cancellationToken);
            foreach (var line in report.Problems.OrderBy(p => p.Line))
            {
                await output.WriteLineAsync($"line {line.Line}: {line.Message}");
            }

            await output.WriteLineAsync($"{report.Accepted} accepted, {report.Rejected} rejected, {report.Failed} failed, {report.Warnings} warnings ({path.Name})");
            return report.Rejected + report.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    public sealed record LineProblem(int Line, string Message);

    public sealed class ImportReport
    {
        int _accepted, _rejected, _failed, _warnings;

        public int Accepted => _accepted;

        public int Rejected => _rejected;

        public int Failed => _failed;

        public int Warnings => _warnings;

        public List<LineProblem> Problems { get; } = [];

        internal void Accept() => Interlocked.Increment(ref _accepted);

        internal void Reject(int line, string message) => Add(ref _rejected, line, message);

        internal void Fail(int line, string message) => Add(ref _failed, line, message);

        internal void Warn(int line, string message) => Add(ref _warnings, line, "warning: " + message);

        void Add(ref int counter, int line, string message)
        {
            Interlocked.Increment(ref counter);
            lock (Problems)
            {
                Problems.Add(new(line, message));
            }
        }
    }

    public static async Task<ImportReport> ImportAsync(string path, HttpClient http, int parallelism, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        var total = File.ReadLines(path).Count(l => !string.IsNullOrWhiteSpace(l));
        var report = new ImportReport();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(progressOutput) });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Importing {Path.GetFileName(path)}", maxValue: total);
                await Parallel.ForEachAsync(
                    NumberedLines(path),
                    new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                    async (entry, ct) =>
                    {
                        await ImportLineAsync(http, entry.Number, entry.Text, report, ct);
                        task.Increment(1);
                    });
            });
        return report;
    }

    static IEnumerable<(int Number, string Text)> NumberedLines(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (number, line);
            }
        }
    }

    static async Task ImportLineAsync(HttpClient http, int line, string text, ImportReport report, CancellationToken cancellationToken)
    {
        var body = JsonlArticleMapper.Map(text, out var error, out var warning);
        if (body is null)
        {
            report.Reject(line, error!);
            return;
        }

        if (warning is not null)
        {
            report.Warn(line, warning);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("articles", body, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    report.Accept();
                    return;
                }

                var problem = await ProblemDetailAsync(response, cancellationToken);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == Attempts)
                {
                    var message = $"{(int)response.StatusCode} {problem}";
                    if ((int)response.StatusCode is >= 400 and < 500)
                    {
                        report.Reject(line, message);
                    }
                    else
                    {
                        report.Fail(line, message);
                    }

                    return;
                }
            }
            catch (HttpRequestException e) when (attempt == Attempts)
            {
                report.Fail(line, $"the ingestion API is unreachable: {e.Message}");
                return;
            }
            catch (HttpRequestException)
            {
                // Retried below.
            }

            // 503 or no connection: the broker or the API is coming back; wait and retry the same line.
            await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt)), cancellationToken);
        }
    }

    static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(content);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? content : content;
        }
        catch (JsonException)
        {
            return content.Length > 300 ? content[..300] : content;
        }
    }
}
