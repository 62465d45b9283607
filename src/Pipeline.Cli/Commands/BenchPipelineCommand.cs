using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.Bench;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench pipeline</c>: the whole pipeline as one, and each stage alone.</summary>
public static class BenchPipelineCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var articles = new Option<int>("--articles") { Description = "Articles submitted end to end.", DefaultValueFactory = _ => 5_000 };
        var stageArticles = new Option<int>("--stage-articles") { Description = "Articles each stage processes alone.", DefaultValueFactory = _ => 1_000 };
        var latencySeconds = new Option<int>("--latency-seconds") { Description = "Length of the fixed-rate latency row.", DefaultValueFactory = _ => 60 };
        var latencyRate = new Option<double>("--latency-rate") { Description = "Articles/s of the latency row (default: half of the end-to-end rate)." };
        var replicas = new Option<int>("--replicas") { Description = "Processes of each enricher (competing consumers on its queue).", DefaultValueFactory = _ => 1 };
        var command = new Command(
            "pipeline",
            "The whole pipeline (ingestion API to searchable with every enrichment), its latency at half that rate, and each stage alone on a pre-filled queue.")
        {
            articles, stageArticles, latencySeconds, latencyRate, replicas,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new PipelineBenchmarkSettings(parse.GetValue(articles), parse.GetValue(stageArticles), parse.GetValue(latencySeconds), parse.GetValue(latencyRate), parse.GetValue(replicas));
            if (settings.Articles < 10 || settings.StageArticles < 10 || settings.LatencySeconds < 1 || settings.LatencyRate < 0 || settings.Replicas is < 1 or > 8)
            {
                await errors.WriteLineAsync("error: --articles and --stage-articles must be at least 10, --latency-seconds at least 1, --latency-rate not negative and --replicas from 1 to 8.");
                return 2;
            }

            if (PipelineServices.MissingBuild is { } missing)
            {
                await errors.WriteLineAsync($"error: {missing} is not built; run `dotnet run -c Release --project src/Pipeline.Cli -- bench pipeline`.");
                return 2;
            }

#if DEBUG
            await errors.WriteLineAsync("warning: this is a Debug build; benchmark numbers are only meaningful with -c Release.");
#endif
            var corpus = IngestionCorpus.Load(RepositoryLayout.SharedData);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            var report = await new PipelineBenchmark(corpus, settings, console).RunAsync(cancellationToken);

            var i = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(report.ToMarkdown());
            await output.WriteLineAsync(string.Create(i, $"pipeline-articles-per-s: {report.ArticlesPerSecond:F1}"));
            await output.WriteLineAsync($"pipeline-bottleneck: {report.Bottleneck?.Name}");
            return 0;
        });
        return command;
    }
}
