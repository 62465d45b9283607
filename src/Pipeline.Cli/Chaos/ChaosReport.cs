using System.Globalization;
using System.Text;
using Pipeline.Cli.Import;
using Pipeline.Processes;

namespace Pipeline.Cli.Chaos;

/// <summary>What one chaos run did and found, and its markdown tables.</summary>
public sealed class ChaosReport
{
    public required ChaosSettings Settings { get; init; }

    public string LoadAtStart { get; init; } = "";

    public string LoadAtEnd { get; set; } = "";

    /// <summary>Article ids the ingestion API acknowledged (accepted, or answered duplicate of an accepted one).</summary>
    public HashSet<string> Acknowledged { get; } = new(StringComparer.Ordinal);

    public ArticleImporter.Counts Import { get; set; } = new();

    public List<FaultOutcome> Faults { get; } = [];

    /// <summary>Service processes that died by themselves during the run (and were started again).</summary>
    public List<UnexpectedExit> UnexpectedExits { get; } = [];

    /// <summary>When every acknowledged article was complete (or the run stopped waiting), from the start of the import.</summary>
    public TimeSpan Settled { get; set; }

    public IndexAudit Audit { get; set; } = new();

    public int Lost => Audit.Lost.Count;

    public int Duplicated => Audit.Duplicated.Count;

    public int MissingEnrichments => Audit.MissingEnrichments.Count;

    public TimeSpan LongestRecovery => Faults.Count == 0 ? TimeSpan.Zero : Faults.Max(f => f.Recovery);

    /// <summary>From the last fault until the pipeline had recovered from it.</summary>
    public TimeSpan LastFaultRecovery => Faults.Count == 0 ? TimeSpan.Zero : Faults[^1].Recovery;

    public bool Passed => Lost == 0 && Duplicated == 0 && MissingEnrichments == 0;

    public string ToMarkdown()
    {
        var i = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(i, $"Chaos run: {Settings.Articles:N0} real articles through the ingestion API with `pipeline import`'s client, a {Settings.BrokerNodes}-node RabbitMQ cluster, {Settings.Replicas} {(Settings.Replicas == 1 ? "process" : "processes")} of each enricher, one indexer (Lucene), every service its own process ({RepositoryLayout.Configuration} build); seed {Settings.Seed}; {Environment.ProcessorCount} cores; load average {LoadAtStart} before, {LoadAtEnd} after.");
        text.AppendLine();
        text.AppendLine("| # | fault | at s | healthy after s | progress after s | recovery s |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|");
        for (var n = 0; n < Faults.Count; n++)
        {
            var f = Faults[n];
            var progress = f.Progress is { } p ? (p - f.At).TotalSeconds.ToString("N1", i) : "idle";
            text.AppendLine(i, $"| {n + 1} | {f.Description} | {f.At.TotalSeconds:N1} | {(f.Healthy - f.At).TotalSeconds:N1} | {progress} | {f.Recovery.TotalSeconds:N1} |");
        }

        text.AppendLine();
        text.AppendLine("| result | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(i, $"| import answers | {Import} |");
        text.AppendLine(i, $"| articles acknowledged (distinct ids) | {Acknowledged.Count:N0} |");
        text.AppendLine(i, $"| documents in the index | {Audit.Documents:N0} |");
        text.AppendLine(i, $"| faults injected | {Faults.Count} |");
        text.AppendLine(i, $"| service processes that exited by themselves (restarted) | {UnexpectedExits.Count} |");
        text.AppendLine(i, $"| **lost** (acknowledged, not in the index) | **{Lost}** |");
        text.AppendLine(i, $"| **indexed twice** (one id or canonical URL, two documents) | **{Duplicated}** |");
        text.AppendLine(i, $"| **missing an enrichment** (claims, entities or fact-checks) | **{MissingEnrichments}** |");
        text.AppendLine(i, $"| longest recovery | {LongestRecovery.TotalSeconds:N1} s |");
        text.AppendLine(i, $"| recovery from the last fault | {LastFaultRecovery.TotalSeconds:N1} s |");
        text.AppendLine(i, $"| settled (every acknowledged article complete) after | {Settled.TotalSeconds:N1} s |");
        foreach (var exit in UnexpectedExits.Take(5))
        {
            text.AppendLine();
            text.AppendLine(i, $"{exit.Name} exited by itself at {exit.At.TotalSeconds:N1} s; its last lines:");
            text.AppendLine();
            text.AppendLine("```");
            text.AppendLine(exit.Output);
            text.AppendLine("```");
        }

        foreach (var (what, ids) in new[] { ("lost", Audit.Lost), ("indexed twice", Audit.Duplicated), ("missing an enrichment", Audit.MissingEnrichments) })
        {
            if (ids.Count > 0)
            {
                text.AppendLine();
                text.AppendLine(i, $"First {what}: {string.Join("; ", ids.Take(5))}");
            }
        }

        return text.ToString();
    }
}
