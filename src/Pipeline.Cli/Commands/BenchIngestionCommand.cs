using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.Bench;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench ingestion</c>: NDJSON into RabbitMQ through the ingestion service against the raw broker.</summary>
public static class BenchIngestionCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var articles = new Option<int>("--articles") { Description = "Articles in the timed NDJSON batch.", DefaultValueFactory = _ => 50_000 };
        var bytes = new Option<long>("--bytes")
        {
            Description = "Also stream this many bytes of NDJSON in one request through a fresh service and report its peak RSS (e.g. 1073741824 for 1 GB); 0 skips it.",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("ingestion", "NDJSON batches into RabbitMQ through the ingestion service (E) against raw RabbitMQ.Client publishing (C).") { articles, bytes };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(articles);
            var streamBytes = parse.GetValue(bytes);
            if (count < 100 || streamBytes < 0)
            {
                await errors.WriteLineAsync("error: --articles must be at least 100 and --bytes not negative.");
                return 2;
            }

            if (!File.Exists(RepositoryLayout.ServiceAssembly("Pipeline.Ingestion")))
            {
                await errors.WriteLineAsync($"error: {RepositoryLayout.ServiceAssembly("Pipeline.Ingestion")} is not built; run `dotnet run -c Release --project src/Pipeline.Cli -- bench ingestion`.");
                return 2;
            }

#if DEBUG
            await errors.WriteLineAsync("warning: this is a Debug build; benchmark numbers are only meaningful with -c Release.");
#endif
            var corpus = IngestionCorpus.Load(RepositoryLayout.SharedData);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            var report = await new IngestionBenchmark(corpus, count, streamBytes, console).RunAsync(cancellationToken);

            var i = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(report.ToMarkdown());
            if (report.StreamBytes > 0)
            {
                await output.WriteLineAsync(string.Create(i, $"stream-peak-rss-mb: {report.StreamPeakRss / 1024.0 / 1024.0:F0}"));
            }

            await output.WriteLineAsync(string.Create(i, $"ingestion-articles-per-s: {report.ServiceArticlesPerSecond:F0}"));
            return 0;
        });
        return command;
    }
}
