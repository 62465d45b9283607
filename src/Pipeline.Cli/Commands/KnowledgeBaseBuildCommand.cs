using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.EntityLinking.KnowledgeBase;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline kb build --wikidata FILE --out DIR</c>: a compiled KB (<c>DIR/wikidata.kb</c>, memory-mapped by the
/// service) from a Wikidata JSON dump (.json, .json.gz, .json.bz2), read in parallel as a stream
/// (<see cref="WikidataDumpReader"/>) straight into the <see cref="KnowledgeBaseCompiler"/>. The KB is written beside
/// its final name and moved into place only when the whole dump was read, so a cut dump or Ctrl+C leaves an existing
/// KB as it was.
/// </summary>
public static class KnowledgeBaseBuildCommand
{
    public const string OutputFile = "wikidata" + KnowledgeBaseLoader.CompiledExtension;

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var wikidata = new Option<FileInfo>("--wikidata") { Description = "A Wikidata JSON dump (latest-all.json, .json.gz or .json.bz2), read as a stream.", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = $"The KB directory to write ({OutputFile}).", Required = true };
        var languages = new Option<string>("--languages")
        {
            Description = "Comma-separated languages whose labels and aliases become aliases (English gives the label).",
            DefaultValueFactory = _ => string.Join(',', WikidataDumpOptions.DefaultLanguages),
        };
        var minSitelinks = new Option<int>("--min-sitelinks")
        {
            Description = "Keep an item without an English Wikipedia article from this many sitelinks on.",
            DefaultValueFactory = _ => WikidataDumpOptions.Default.MinSitelinks,
        };
        var requireEnwiki = new Option<bool>("--require-enwiki") { Description = "Keep only items with an English Wikipedia article." };
        var workers = new Option<int>("--workers") { Description = "Parser threads (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var keepPartial = new Option<bool>("--keep-partial") { Description = "When the dump is cut short, still write the KB from the items read (default: fail and keep the old KB)." };
        var readOnly = new Option<bool>("--read-only") { Description = "Read and count the dump but write nothing (measures the reader alone)." };
        var command = new Command("build", "Build a KB directory from a Wikidata JSON dump.") { wikidata, outDir, languages, minSitelinks, requireEnwiki, workers, keepPartial, readOnly };
        // On a worker thread, so that Ctrl+C (which cancels the token) finds the action running and waits for its clean-up.
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            var dump = parse.GetRequiredValue(wikidata);
            if (!dump.Exists)
            {
                errors.WriteLine($"error: {dump.FullName} does not exist.");
                return 2;
            }

            var options = new WikidataDumpOptions
            {
                Languages = parse.GetRequiredValue(languages).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                MinSitelinks = Math.Max(0, parse.GetValue(minSitelinks)),
                RequireEnwiki = parse.GetValue(requireEnwiki),
                Workers = Math.Max(1, parse.GetValue(workers)),
            };
            var directory = parse.GetRequiredValue(outDir);
            directory.Create();
            var target = Path.Combine(directory.FullName, OutputFile);
            var partial = target + ".partial";
            KnowledgeBaseCompileProgress? compiling = null;

            // The sink: the records in dump order, into the compiler; with --keep-partial a cut dump still completes the KB.
            var keep = parse.GetValue(keepPartial);
            Action<IEnumerable<EntityRecord>> writeKnowledgeBase = records =>
            {
                using var compiler = new KnowledgeBaseCompiler(partial, new KnowledgeBaseCompilerOptions { Progress = p => compiling = p });
                compiler.BeginSource(dump.Name);
                try
                {
                    foreach (var record in records)
                    {
                        compiler.Add(record);
                    }
                }
                catch (WikidataDumpTruncatedException) when (keep)
                {
                    compiler.Complete();
                    throw;
                }

                compiler.Complete();
            };
            if (parse.GetValue(readOnly))
            {
                writeKnowledgeBase = records =>
                {
                    foreach (var _ in records)
                    {
                    }
                };
            }

            var progress = new WikidataDumpProgress();
            var started = Stopwatch.GetTimestamp();
            var failure = Read(dump, options, progress, writeKnowledgeBase, () => compiling, errors, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Summarise(output, progress, elapsed);

            switch (failure)
            {
                case null when parse.GetValue(readOnly):
                    return 0;
                case null:
                    File.Move(partial, target, overwrite: true);
                    output.WriteLine($"{progress.Kept:N0} entities compiled into {target} ({new FileInfo(target).Length / 1e6:N0} MB)");
                    output.WriteLine($"use it after the bundled KB with EntityLinking__KnowledgeBasePaths__0=<bundled KB> EntityLinking__KnowledgeBasePaths__1={directory.FullName} (service), or --kb {directory.FullName} (CLI); see docs/operations.md");
                    return 0;
                case WikidataDumpTruncatedException truncated when parse.GetValue(readOnly):
                    errors.WriteLine($"error: {truncated.Message}");
                    return 3;
                case WikidataDumpTruncatedException truncated when parse.GetValue(keepPartial):
                    File.Move(partial, target, overwrite: true);
                    errors.WriteLine($"warning: {truncated.Message}");
                    output.WriteLine($"--keep-partial: the {progress.Kept:N0} entities read before line {truncated.LineReached:N0} were written to {target}");
                    return 0;
                case WikidataDumpTruncatedException truncated:
                    File.Delete(partial);
                    errors.WriteLine($"error: {truncated.Message}");
                    errors.WriteLine(File.Exists(target) ? $"{target} was left as it was (--keep-partial writes what was read)." : "No KB was written (--keep-partial writes what was read).");
                    return 3;
                default:
                    File.Delete(partial);
                    errors.WriteLine("cancelled: no KB was written" + (File.Exists(target) ? $"; {target} was left as it was." : "."));
                    return 130;
            }
        }, CancellationToken.None));
        return command;
    }

    /// <summary>Reads the dump into the sink under a progress bar; the exception that stopped it, if any.</summary>
    static Exception? Read(FileInfo dump, WikidataDumpOptions options, WikidataDumpProgress progress, Action<IEnumerable<EntityRecord>> sink, Func<KnowledgeBaseCompileProgress?> compiling, TextWriter errors, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
        Exception? failure = null;
        var started = Stopwatch.GetTimestamp();
        console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask($"Reading {dump.Name}", maxValue: Math.Max(1, dump.Length));
                void Update(object? _)
                {
                    var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    task.Value = progress.CompressedBytesRead;
                    // After the last line the compiler still sorts and writes the alias index: its phase shows then.
                    var phase = compiling() is { Phase: not "reading" } compile ? string.Create(CultureInfo.InvariantCulture, $", compiling: {compile.Phase} {compile.Done:N0}") : "";
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"{dump.Name}: {progress.Items:N0} items, {progress.Items / seconds:N0} items/s, {progress.Kept / seconds:N0} kept/s{phase}");
                }

                using var timer = new Timer(Update, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
                try
                {
                    sink(WikidataDumpReader.StreamRecords(dump.FullName, options, progress, cancellationToken));
                }
                catch (WikidataDumpTruncatedException e)
                {
                    failure = e;
                }
                catch (OperationCanceledException e)
                {
                    failure = e;
                }

                timer.Dispose();
                Update(null);
                if (failure is null)
                {
                    task.Value = task.MaxValue;
                }
            });
        return failure;
    }

    static void Summarise(TextWriter output, WikidataDumpProgress progress, TimeSpan elapsed)
    {
        var seconds = Math.Max(1e-3, elapsed.TotalSeconds);
        using var process = Process.GetCurrentProcess();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"read {progress.Lines:N0} lines, {progress.Items:N0} items in {seconds:F1} s: {progress.Items / seconds:N0} items/s, " +
            $"{progress.CompressedBytesRead / 1e6 / seconds:F1} MB/s compressed ({progress.BytesRead / 1e6 / seconds:F1} MB/s of JSON)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kept {progress.Kept:N0}; dropped {progress.DroppedNoEnglishLabel:N0} without an English label, {progress.DroppedTooFewSitelinks:N0} with too few sitelinks, " +
            $"{progress.DroppedNotEntities:N0} Wikimedia pages and names; {progress.OtherEntities:N0} properties, lexemes and redirects skipped"));
        output.WriteLine($"malformed lines: {progress.Malformed:N0}");
        foreach (var line in progress.FirstMalformed)
        {
            output.WriteLine($"  line {line.Line:N0}: {line.Reason}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS: {process.PeakWorkingSet64 / 1e6:F0} MB"));
    }
}
