using Pipeline.Cli.Bench;
using Pipeline.Processes;
using Pipeline.Testing;
using Spectre.Console;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// `pipeline bench pipeline` at a tiny size: every row is measured on real processes, every accepted article is counted
/// as searchable with all three enrichments, and the report names the slowest stage. (Its numbers are not judged here:
/// speed is measured by running the command on a quiet machine, see docs/benchmarks.md.)
/// </summary>
public sealed class PipelineBenchmarkTests
{
    [Fact]
    public async Task A_tiny_run_measures_end_to_end_latency_and_every_stage_alone_and_names_the_bottleneck()
    {
        RepositoryPaths.RequireSharedFile("articles/fakenewsnet-2018.jsonl");
        RepositoryPaths.RequireSharedFile("kb/kb_entities.tsv");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var settings = new PipelineBenchmarkSettings(Articles: 12, StageArticles: 10, LatencySeconds: 2, LatencyRate: 1);

        var report = await new PipelineBenchmark(IngestionCorpus.Load(RepositoryLayout.SharedData), settings, console).RunAsync(TestContext.Current.CancellationToken);

        Assert.InRange(report.Accepted, 10, 12); // the source files hold a few exact duplicates, answered as such
        Assert.True(report.ArticlesPerSecond > 0);
        Assert.Equal(["claims", "entities", "fact-checks", "indexing"], report.Stages.Select(s => s.Name));
        // The enrichers take all ten; the indexer warms up on a fifth of them and is timed on the rest.
        Assert.Equal([10, 10, 10, 8], report.Stages.Select(s => s.Articles));
        Assert.All(report.Stages, s => Assert.True(s.ArticlesPerSecond > 0, $"{s.Name}: {s.Articles} articles at {s.ArticlesPerSecond}/s"));
        Assert.Equal(report.Stages.MinBy(s => s.ArticlesPerSecond)!.Name, report.Bottleneck!.Name);
        Assert.InRange(report.Latencies.Count, 1, report.LatencyArticles); // a duplicate in the source data is answered 200 and not timed
        Assert.Equal(6, report.Processes.Count);
        Assert.All(report.Processes, p => Assert.True(p.PeakRssBytes > 0 && p.CpuSeconds > 0, p.ToString()));
        var markdown = report.ToMarkdown();
        Assert.Contains("| **end to end**", markdown, StringComparison.Ordinal);
        Assert.Contains("p95", markdown, StringComparison.Ordinal);
    }
}
