using System.CommandLine;
using Pipeline.Cli.Commands;

namespace Pipeline.Cli;

/// <summary>The root of the <c>pipeline</c> command; each verb lives in Commands/.</summary>
public static class PipelineCommand
{
    public static RootCommand Create(TextWriter output, TextWriter errors) =>
        new("Disinformation-analysis pipeline: analyse articles locally, import them into a running pipeline.")
        {
            AnalyzeCommand.Create(output, errors),
            ImportCommand.Create(output, errors),
            new Command("eval", "Measure the analysers on labelled data.") { EvalCommand.Create(output, errors), EvalEntitiesCommand.Create(output, errors), EvalNerCommand.Create(output, errors), EvalEmergingCommand.Create(output, errors) },
            new Command("bench", "Benchmarks (build with -c Release); each prints a markdown table.") { BenchCommand.Create(output, errors), BenchEntitiesCommand.Create(output, errors), Bench.SearchBenchmarkCommand.Create(output, errors), BenchIngestionCommand.Create(output, errors), BenchPipelineCommand.Create(output, errors), BenchClaimsCommand.Create(output, errors) },
            LlmCommand.Create(output, errors),
            ChaosCommand.Create(output, errors),
            TrainCommand.Create(output, errors),
            KnowledgeBaseCommand.Create(output, errors),
        };
}
