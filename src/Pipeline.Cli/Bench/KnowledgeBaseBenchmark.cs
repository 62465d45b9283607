using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Contracts;
using Pipeline.EntityLinking.Linking;
using Pipeline.Messaging;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Bench;

/// <summary>What <c>pipeline kb bench</c> measures.</summary>
/// <param name="Items">Synthetic dump items (<c>kb synth --items</c>).</param>
/// <param name="Articles">Real articles the entity-linking service links with the built KB (a fifth of them warm it up untimed).</param>
/// <param name="Lookups">Alias lookups timed in the benchmark's own process.</param>
/// <param name="Dump">An existing dump to build from instead of a synthetic one.</param>
/// <param name="MinSitelinks">
/// <c>kb build --min-sitelinks</c>: 0 (the default here) keeps every item with an English label, ~94% of the synthetic
/// ones, so that 10 M items make the ~10 M-entity KB the open and RSS targets are about; the build's own default keeps ~40%.
/// </param>
/// <param name="WorkDirectory">Where the dump and the KB go (they are large: ~150 bytes of gzip and ~200 bytes of KB per item); deleted afterwards unless kept.</param>
public sealed record KnowledgeBaseBenchmarkSettings(int Items, int Articles, int Lookups, string? Dump, int MinSitelinks, string WorkDirectory, bool Keep);

/// <summary>One timed step of the benchmark: wall time, and the peak RSS of the process that did it.</summary>
public sealed record KnowledgeBaseBenchStep(string Name, TimeSpan Elapsed, long PeakRssBytes, string Detail)
{
    /// <summary>What the step's process printed (its last lines).</summary>
    public string Output { get; init; } = "";
}

/// <summary>The numbers of one <c>kb bench</c> run.</summary>
public sealed class KnowledgeBaseBenchmarkReport
{
    public List<KnowledgeBaseBenchStep> Steps { get; } = [];

    public long DumpItems { get; set; }

    public long DumpBytes { get; set; }

    public long Entities { get; set; }

    public double BuildItemsPerSecond { get; set; }

    public long BuildPeakRssBytes { get; set; }

    public double OpenSeconds { get; set; }

    public double LookupsPerSecond { get; set; }

    /// <summary>The entity-linking service's RSS after linking the articles with the bundled KB only, and with the built KB merged in.</summary>
    public long ServiceBaselineRssBytes { get; set; }

    public long ServiceRssBytes { get; set; }

    public double BaselineArticlesPerSecond { get; set; }

    public double ArticlesPerSecond { get; set; }

    public string LoadAtStart { get; set; } = "";

    public string LoadAtEnd { get; set; } = "";

    public string ToMarkdown()
    {
        var i = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(i, $"Synthetic dump: {DumpItems:N0} items, {DumpBytes / 1e6:F0} MB gzipped ({(DumpItems == 0 ? 0 : DumpBytes / (double)DumpItems):F0} bytes/item); KB: {Entities:N0} entities. Load average {LoadAtStart} at start, {LoadAtEnd} at end.");
        text.AppendLine();
        text.AppendLine("| step | seconds | peak RSS MB | result |");
        text.AppendLine("|---|---:|---:|---|");
        foreach (var step in Steps)
        {
            text.AppendLine(i, $"| {step.Name} | {step.Elapsed.TotalSeconds:F1} | {(step.PeakRssBytes > 0 ? (step.PeakRssBytes / 1e6).ToString("F0", i) : "")} | {step.Detail} |");
        }

        text.AppendLine();
        text.AppendLine("| target | measured | limit |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(i, $"| build items/s (gzipped dump) | {BuildItemsPerSecond:N0} | >= 50,000 |");
        text.AppendLine(i, $"| build peak RSS MB | {BuildPeakRssBytes / 1e6:F0} | <= 2,000 |");
        text.AppendLine(i, $"| open s | {OpenSeconds:F2} | <= 3 |");
        text.AppendLine(i, $"| entity-linking service RSS MB with it (bundled KB alone: {ServiceBaselineRssBytes / 1e6:F0}) | {ServiceRssBytes / 1e6:F0} | <= 2,000 |");
        text.AppendLine(i, $"| linking articles/s with it (bundled KB alone: {BaselineArticlesPerSecond:F0}) | {ArticlesPerSecond:F0} | >= 100 |");
        text.AppendLine(i, $"| alias lookups/s, two threads | {LookupsPerSecond:N0} | |");
        return text.ToString();
    }

    public IEnumerable<string> SummaryLines()
    {
        var i = CultureInfo.InvariantCulture;
        yield return string.Create(i, $"kb-build-items-per-s: {BuildItemsPerSecond:F0}");
        yield return string.Create(i, $"kb-build-peak-rss-mb: {BuildPeakRssBytes / 1e6:F0}");
        yield return string.Create(i, $"kb-open-s: {OpenSeconds:F2}");
        yield return string.Create(i, $"kb-service-rss-mb: {ServiceRssBytes / 1e6:F0}");
    }
}

/// <summary>
/// <c>pipeline kb bench</c>: the knowledge base at Wikidata scale without the real dump. Writes a synthetic dump of N
/// items (<c>kb synth</c>), builds a KB from it (<c>kb build</c>, its own process, timed, its peak RSS sampled), opens
/// it and times alias lookups, then runs the entity-linking service as its own process on a throwaway broker twice —
/// with the bundled KB alone, and with the built KB merged in (<c>EntityLinking:KnowledgeBasePaths</c>) — linking real
/// articles from its pre-filled queue, and reports its RSS and speed each time. See docs/benchmarks.md.
/// </summary>
public sealed class KnowledgeBaseBenchmark(KnowledgeBaseBenchmarkSettings settings, IAnsiConsole console)
{
    public const string Service = "Pipeline.EntityLinking";

    public async Task<KnowledgeBaseBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new KnowledgeBaseBenchmarkReport { LoadAtStart = ProcessStats.LoadAverage() };
        var work = Directory.CreateDirectory(Path.Combine(settings.WorkDirectory, "pipeline-kb-bench-" + Environment.ProcessId));
        try
        {
            var dump = settings.Dump ?? Path.Combine(work.FullName, "dump.json.gz");
            var kb = Path.Combine(work.FullName, "kb");
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    if (settings.Dump is null)
                    {
                        var synth = await RunCliAsync("writing the synthetic dump", ["kb", "synth", "--items", Text(settings.Items), "--out", dump], progress, cancellationToken);
                        report.Steps.Add(synth with { Detail = $"{settings.Items:N0} items" });
                    }

                    report.DumpBytes = new FileInfo(dump).Length;
                    var build = await RunCliAsync("building the KB", ["kb", "build", "--wikidata", dump, "--out", kb, "--min-sitelinks", Text(settings.MinSitelinks)], progress, cancellationToken);
                    report.DumpItems = ItemsRead(build.Output);
                    report.BuildPeakRssBytes = build.PeakRssBytes;
                    report.BuildItemsPerSecond = report.DumpItems / build.Elapsed.TotalSeconds;
                    report.Steps.Add(build with { Detail = string.Create(CultureInfo.InvariantCulture, $"{report.BuildItemsPerSecond:N0} items/s, whole command (read, compile, write)") });

                    var opened = KnowledgeBaseProbe.Measure(kb, settings.Lookups);
                    report.Entities = opened.Entities;
                    report.OpenSeconds = opened.OpenSeconds;
                    report.LookupsPerSecond = opened.LookupsPerSecond;
                    report.Steps.Add(new KnowledgeBaseBenchStep("opening it, then alias lookups", TimeSpan.FromSeconds(opened.OpenSeconds + opened.LookupSeconds), 0,
                        string.Create(CultureInfo.InvariantCulture, $"open {opened.OpenSeconds:F2} s; {settings.Lookups:N0} lookups at {opened.LookupsPerSecond:N0}/s")));

                    // The same articles for both runs, read once.
                    var articles = IngestionCorpus.Load(RepositoryLayout.SharedData).Normalized(0, settings.Articles);
                    var baseline = await ServiceAsync("linking, bundled KB alone", [], articles, progress, cancellationToken);
                    report.ServiceBaselineRssBytes = baseline.RssBytes;
                    report.BaselineArticlesPerSecond = baseline.ArticlesPerSecond;
                    report.Steps.Add(baseline.Step);
                    var merged = await ServiceAsync("linking, bundled + built KB", [kb], articles, progress, cancellationToken);
                    report.ServiceRssBytes = merged.RssBytes;
                    report.ArticlesPerSecond = merged.ArticlesPerSecond;
                    report.Steps.Add(merged.Step);
                });
        }
        finally
        {
            if (!settings.Keep)
            {
                work.Delete(recursive: true);
            }
        }

        report.LoadAtEnd = ProcessStats.LoadAverage();
        return report;
    }

    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs a <c>pipeline</c> command as a child process of this build, sampling its peak RSS until it exits.</summary>
    static async Task<KnowledgeBaseBenchStep> RunCliAsync(string name, string[] arguments, ProgressContext progress, CancellationToken cancellationToken)
    {
        var task = progress.AddTask(name, maxValue: 1);
        task.IsIndeterminate = true;
        var start = new ProcessStartInfo("dotnet", [typeof(KnowledgeBaseBenchmark).Assembly.Location, .. arguments]);
        var output = new OutputTail(60);
        var clock = Stopwatch.StartNew();
        using var process = ChildProcesses.StartCapturing(start, output);
        var peak = 0L;
        using (cancellationToken.Register(() => process.Kill(entireProcessTree: true)))
        {
            while (!process.HasExited)
            {
                // VmHWM only grows, and is gone once the process is: the last sample is the peak, up to the last 50 ms.
                peak = Math.Max(peak, ProcessTree.PeakResidentBytes(process.Id));
                await Task.WhenAny(process.WaitForExitAsync(cancellationToken), Task.Delay(50, cancellationToken));
            }
        }

        var elapsed = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`pipeline {string.Join(' ', arguments)}` exited with {process.ExitCode}:\n{output}");
        }

        task.IsIndeterminate = false;
        task.Value = 1;
        return new KnowledgeBaseBenchStep(name, elapsed, peak, "") { Output = output.ToString() };
    }

    /// <summary>The items <c>kb build</c> says it read ("read N lines, M items in ...").</summary>
    static long ItemsRead(string buildOutput) =>
        System.Text.RegularExpressions.Regex.Match(buildOutput, @"read [\d,]+ lines, (?<items>[\d,]+) items") is { Success: true } match
            ? long.Parse(match.Groups["items"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"kb build did not say how many items it read:\n{buildOutput}");

    sealed record ServiceRun(KnowledgeBaseBenchStep Step, long RssBytes, double ArticlesPerSecond);

    /// <summary>
    /// The entity-linking service with the bundled KB and <paramref name="extraKnowledgeBases"/> after it, on a throwaway
    /// broker: a fifth of the articles warm it up (the KB is opened, the models load, the JIT runs), the rest is timed.
    /// </summary>
    static async Task<ServiceRun> ServiceAsync(string name, IReadOnlyList<string> extraKnowledgeBases, List<ArticleIngested> articles, ProgressContext progress, CancellationToken cancellationToken)
    {
        var warmUp = articles.Take(Math.Max(1, articles.Count / 5)).ToList();
        var timed = articles.Skip(warmUp.Count).ToList();
        var task = progress.AddTask(name, maxValue: articles.Count);
        var work = Directory.CreateTempSubdirectory("pipeline-kb-bench-service-");
        try
        {
            await using var broker = await RabbitMqNode.StartAsync(cancellationToken);
            await using var connection = await RawBroker.ConnectAsync(broker.ConnectionString);
            await RawBroker.DeclareQueueAsync(connection, QueueNames.Indexing, purge: true);
            await RawBroker.BindEnrichmentResultsAsync(connection, QueueNames.Indexing);
            var values = PipelineServices.Settings(broker.ConnectionString, Path.Combine(work.FullName, "index"), work.FullName);
            string[] paths = [EntityLinkingOptions.DefaultKnowledgeBasePath(), .. extraKnowledgeBases];
            for (var p = 0; p < paths.Length; p++)
            {
                values[$"EntityLinking:KnowledgeBasePaths:{p}"] = paths[p];
            }

            values["EntityLinking:CacheDirectory"] = Path.Combine(work.FullName, "kb-cache");
            await using var service = await ServiceProcess.StartAsync(RepositoryLayout.ServiceAssembly(Service), values, cancellationToken);
            var clock = Stopwatch.StartNew();
            await EnricherStage.RunAsync(connection, EntitiesPayload.EnricherName, [service], warmUp, n => task.Increment(n), cancellationToken);
            var result = await EnricherStage.RunAsync(connection, EntitiesPayload.EnricherName, [service], timed, n => task.Increment(n), cancellationToken);
            var rss = ProcessTree.ResidentBytes(service.ProcessId);
            var step = new KnowledgeBaseBenchStep(name, clock.Elapsed, service.PeakResidentBytes(),
                string.Create(CultureInfo.InvariantCulture, $"{result.ArticlesPerSecond:F0} articles/s; RSS after {rss / 1e6:F0} MB"));
            return new ServiceRun(step, rss, result.ArticlesPerSecond);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
