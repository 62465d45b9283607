using System.CommandLine;
using Pipeline.Cli.Import;
using Pipeline.ServiceDefaults.Security;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline import PATH</c>: JSON Lines, CSV (with an optional column map) or a directory of .txt/.html files (and
/// of those, recursively) into the ingestion API's NDJSON batch endpoint, with a progress bar and per-file counts.
/// </summary>
public static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var path = new Argument<string>("path") { Description = "A .jsonl/.ndjson or .csv file, a .txt/.html file, or a directory of them (searched recursively)." };
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
        var columns = new Option<string?>("--columns") { Description = "CSV column map, API field=CSV column, e.g. text=articleBody,url=news_url. Unmapped columns are matched by their common names." };
        var apiKey = new Option<string?>("--api-key") { Description = "The ingestion API key (X-Api-Key). Default: $PIPELINE_API_KEY, else the ingest key ./run generated (~/.config/pipeline/api-keys.json)." };
        var maxWait = new Option<TimeSpan>("--max-wait")
        {
            Description = "How long to wait out an unavailable broker or ingestion API (no line answered) before stopping, e.g. 90s, 10m.",
            DefaultValueFactory = _ => ImportRetry.DefaultMaxWait,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (ImportRetry.TryParseDuration(text, out var duration))
                {
                    return duration;
                }

                result.AddError($"--max-wait takes a duration such as 90s, 10m or 1h; got '{text}'.");
                return default;
            },
        };
        var command = new Command("import", "Import articles from files into a running pipeline.") { path, api, columns, apiKey, maxWait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetRequiredValue(path);
            var files = Directory.Exists(target)
                ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                : File.Exists(target) ? [target] : null;
            if (files is null)
            {
                await errors.WriteLineAsync($"error: {Path.GetFullPath(target)} does not exist.");
                return 2;
            }

            var map = ArticleImporter.ParseColumns(parse.GetValue(columns), out var columnError);
            if (map is null)
            {
                await errors.WriteLineAsync($"error: {columnError}");
                return 2;
            }

            var unsupported = files.Where(f => !ArticleSource.IsSupported(f)).ToList();
            if (unsupported.Count > 0 && !Directory.Exists(target))
            {
                await errors.WriteLineAsync($"error: {target} is not one of {string.Join(", ", ArticleSource.SupportedExtensions)}.");
                return 2;
            }

            using var http = new HttpClient { BaseAddress = parse.GetRequiredValue(api), Timeout = Timeout.InfiniteTimeSpan };
            if ((parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("PIPELINE_API_KEY") ?? ApiKeys.TryLoad(ApiKeys.DefaultFilePath)?.Ingest) is { Length: > 0 } key)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", key);
            }

            var importer = new ArticleImporter(http, map, new ImportRetry(parse.GetValue(maxWait)));
            var total = new ArticleImporter.Counts();
            var perFile = new List<(string File, ArticleImporter.Counts Counts)>();
            var supported = files.Except(unsupported).ToList();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            ImportStoppedException? stopped = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Importing {Path.GetFileName(Path.GetFullPath(target).TrimEnd('/'))}", maxValue: Math.Max(1, supported.Sum(f => new FileInfo(f).Length)));
                    foreach (var file in supported)
                    {
                        try
                        {
                            var counts = await importer.ImportFileAsync(file, task, cancellationToken);
                            perFile.Add((Path.GetRelativePath(Directory.Exists(target) ? target : Path.GetDirectoryName(Path.GetFullPath(target))!, file), counts));
                            total.Add(counts);
                        }
                        catch (ImportStoppedException e)
                        {
                            stopped = e;
                            return;
                        }
                    }

                    task.Value = task.MaxValue;
                });

            foreach (var problem in importer.Problems)
            {
                await output.WriteLineAsync($"{problem.File} {problem.Origin}: {problem.Message}");
            }

            foreach (var file in unsupported)
            {
                await output.WriteLineAsync($"skipped {Path.GetRelativePath(target, file)}: not one of {string.Join(", ", ArticleSource.SupportedExtensions)}");
            }

            if (perFile.Count > 1)
            {
                foreach (var (file, counts) in perFile)
                {
                    await output.WriteLineAsync($"{file}: {counts}");
                }
            }

            await output.WriteLineAsync($"{total} ({(perFile.Count == 1 ? perFile[0].File : $"{perFile.Count} files")})");
            if (stopped is not null)
            {
                // Counts of the file it stopped in are not in the totals above: its lines before the stop were answered, the rest not sent.
                await errors.WriteLineAsync(
                    $"error: {stopped.Message}. Waited longer than --max-wait {parse.GetValue(maxWait).TotalSeconds:0} s. " +
                    $"Nothing from {stopped.File} {stopped.Origin} on was sent; importing again is safe (lines already accepted are answered duplicate).");
                return 3;
            }

            return total.Rejected + total.Failed == 0 ? 0 : 1;
        });
        return command;
    }
}
