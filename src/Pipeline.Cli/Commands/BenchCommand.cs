using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.Bench;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench indexing</c>: benchmarks, run in Release on real data; each prints a markdown table.</summary>
public static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var articles = new Option<int>("--articles") { Description = "Articles (3 messages each) for the throughput rows.", DefaultValueFactory = _ => 50_000 };
        var drain = new Option<int>("--drain-messages") { Description = "Messages in the backlog-drain row.", DefaultValueFactory = _ => 200_000 };
        var latencySeconds = new Option<int>("--latency-seconds") { Description = "Length of the fixed-rate latency run.", DefaultValueFactory = _ => 20 };
        var prefetch = new Option<int>("--prefetch") { Description = "Prefetch of the raw consumers (C1, C3).", DefaultValueFactory = _ => 2_000 };
        var rows = new Option<string>("--rows")
        {
            Description = $"Rows to measure, comma-separated, from {string.Join(",", IndexingBenchmarkSettings.AllRows)} (the ratio needs c3 and e).",
            DefaultValueFactory = _ => string.Join(",", IndexingBenchmarkSettings.AllRows),
        };
        var latencyRate = new Option<double>("--latency-rate") { Description = "Articles/s of the latency row (default: half of E)." };
        var indexing = new Command("indexing", "The indexing path (E) against the raw broker (C1), raw Lucene (C2) and the simplest raw consumer-to-index code (C3).")
        {
            articles, drain, latencySeconds, prefetch, rows, latencyRate,
        };
        indexing.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(rows)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var settings = new IndexingBenchmarkSettings(parse.GetValue(articles), parse.GetValue(drain), parse.GetValue(latencySeconds), (ushort)Math.Clamp(parse.GetValue(prefetch), 1, ushort.MaxValue))
            {
                Rows = chosen,
                LatencyRate = parse.GetValue(latencyRate),
            };
            if (settings.Articles < 100 || settings.DrainMessages < 300 || settings.LatencySeconds < 1 || settings.LatencyRate < 0)
            {
                await errors.WriteLineAsync("error: --articles must be at least 100, --drain-messages at least 300, --latency-seconds at least 1 and --latency-rate not negative.");
                return 2;
            }

            if (chosen.Count == 0 || chosen.FirstOrDefault(r => !IndexingBenchmarkSettings.AllRows.Contains(r)) is not null)
            {
                await errors.WriteLineAsync($"error: --rows takes a comma-separated list of {string.Join(", ", IndexingBenchmarkSettings.AllRows)}.");
                return 2;
            }

            if (settings.Runs("latency") && !settings.Runs("e") && settings.LatencyRate == 0)
            {
                await errors.WriteLineAsync("error: the latency row runs at half of E: measure e too, or give --latency-rate.");
                return 2;
            }

            if (!File.Exists(RepositoryLayout.ServiceAssembly("Pipeline.Indexing")))
            {
                await errors.WriteLineAsync($"error: {RepositoryLayout.ServiceAssembly("Pipeline.Indexing")} is not built; run the benchmark with `dotnet run -c Release --project src/Pipeline.Cli -- bench indexing`.");
                return 2;
            }

#if DEBUG
            await errors.WriteLineAsync("warning: this is a Debug build; benchmark numbers are only meaningful with -c Release.");
#endif
            var corpus = BenchCorpus.Load(RepositoryLayout.SharedData);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            var report = await new IndexingBenchmark(corpus, settings, console).RunAsync(cancellationToken);

            var i = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(report.ToMarkdown());
            if (settings.Runs("e"))
            {
                await output.WriteLineAsync(string.Create(i, $"indexing-articles-per-s: {report.ServiceArticlesPerSecond:F0}"));
            }

            if (settings.Runs("e") && settings.Runs("c3"))
            {
                await output.WriteLineAsync(string.Create(i, $"indexing-ratio: {report.Ratio:F2}"));
            }

            if (settings.Runs("e") || settings.Runs("drain"))
            {
                await output.WriteLineAsync(string.Create(i, $"peak-rss-mb: {report.PeakRssMb:F0}"));
            }
            return 0;
        });
        return indexing;
    }
}
