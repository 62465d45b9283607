using Pipeline.Cli.Bench;
using Pipeline.Cli.Chaos;
using Pipeline.Processes;
using Pipeline.Testing;
using Spectre.Console;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// `pipeline chaos --short` on real processes: a 3-node RabbitMQ cluster, every service its own process, a few hundred
/// real articles through the ingestion API with the import client while a broker node and the indexer are SIGKILLed
/// and started again. Nothing the ingestion API acknowledged may be lost, indexed twice or left without an enrichment.
/// </summary>
public sealed class ChaosTests
{
    [Fact]
    public async Task A_broker_node_and_the_indexer_killed_mid_stream_lose_duplicate_and_leave_unenriched_nothing_acknowledged()
    {
        RepositoryPaths.RequireSharedFile("articles/fakenewsnet-2018.jsonl");
        RepositoryPaths.RequireSharedFile("kb/kb_entities.tsv");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var settings = new ChaosSettings(Articles: 200, BrokerNodes: 3, Replicas: 1, Short: true);

        var report = await new ChaosRun(IngestionCorpus.Load(RepositoryLayout.SharedData), settings, console).RunAsync(TestContext.Current.CancellationToken);

        var markdown = report.ToMarkdown();
        Assert.Equal(2, report.Faults.Count);
        Assert.Contains("SIGKILL broker node", report.Faults[0].Description, StringComparison.Ordinal);
        Assert.Contains("SIGKILL indexing", report.Faults[1].Description, StringComparison.Ordinal);
        Assert.InRange(report.Acknowledged.Count, 190, 200); // the source files hold a few exact duplicates, answered as such
        Assert.True(report.Lost == 0, markdown);
        Assert.True(report.Duplicated == 0, markdown);
        Assert.True(report.MissingEnrichments == 0, markdown);
        Assert.All(report.Faults, f => Assert.True(f.Recovery > TimeSpan.Zero, markdown));
    }
}
