using System.CommandLine;
using Pipeline.Cli.Bench;
using Pipeline.Cli.Chaos;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline chaos</c>: faults injected into a running pipeline, and what was lost, duplicated or left unenriched.</summary>
public static class ChaosCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var defaults = new ChaosSettings();
        var articles = new Option<int>("--articles") { Description = "Real articles streamed through the ingestion API.", DefaultValueFactory = _ => defaults.Articles };
        var seed = new Option<int>("--seed") { Description = "Orders the faults and picks the broker nodes.", DefaultValueFactory = _ => defaults.Seed };
        var brokerNodes = new Option<int>("--broker-nodes") { Description = "RabbitMQ nodes in the cluster.", DefaultValueFactory = _ => defaults.BrokerNodes };
        var replicas = new Option<int>("--replicas") { Description = "Processes of each enricher.", DefaultValueFactory = _ => defaults.Replicas };
        var shortRun = new Option<bool>("--short") { Description = "Only one broker-node kill and one indexer kill (the version CI runs)." };
        var command = new Command(
            "chaos",
            "Streams articles through the whole pipeline (real processes, a RabbitMQ cluster) while killing broker nodes and service processes; counts articles lost, indexed twice or missing an enrichment.")
        {
            articles, seed, brokerNodes, replicas, shortRun,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ChaosSettings(parse.GetValue(articles), parse.GetValue(seed), parse.GetValue(brokerNodes), parse.GetValue(replicas), parse.GetValue(shortRun));
            if (settings.Articles < 10 || settings.BrokerNodes is < 1 or > 7 || settings.Replicas is < 1 or > 8)
            {
                await errors.WriteLineAsync("error: --articles must be at least 10, --broker-nodes from 1 to 7 and --replicas from 1 to 8.");
                return 2;
            }

            if (PipelineServices.MissingBuild is { } missing)
            {
                await errors.WriteLineAsync($"error: {missing} is not built; run `dotnet run -c Release --project src/Pipeline.Cli -- chaos`.");
                return 2;
            }

#if DEBUG
            await errors.WriteLineAsync("warning: this is a Debug build; run it with -c Release (recovery times are only meaningful there).");
#endif
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            ChaosReport report;
            try
            {
                report = await new ChaosRun(IngestionCorpus.Load(RepositoryLayout.SharedData), settings, console).RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // SIGTERM or Ctrl+C: every process it started has been stopped on the way out.
                await errors.WriteLineAsync("chaos: cancelled; the broker nodes and services it started are stopped.");
                return 130;
            }

            await output.WriteLineAsync(report.ToMarkdown());
            await output.WriteLineAsync(System.FormattableString.Invariant($"chaos-longest-recovery-s: {report.LongestRecovery.TotalSeconds:F1}"));
            await output.WriteLineAsync($"chaos-unexpected-exits: {report.UnexpectedExits.Count}");
            await output.WriteLineAsync($"chaos-faults: {report.Faults.Count}");
            await output.WriteLineAsync($"chaos-lost: {report.Lost}");
            await output.WriteLineAsync($"chaos-duplicated: {report.Duplicated}");
            await output.WriteLineAsync($"chaos-missing-enrichments: {report.MissingEnrichments}");
            return report.Passed ? 0 : 1;
        });
        return command;
    }
}
