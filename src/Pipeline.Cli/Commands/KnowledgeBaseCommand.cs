using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.KnowledgeBase;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline kb build --wikidata FILE --out DIR</c> turns a Wikidata JSON dump into a KB directory the linker loads;
/// <c>pipeline kb bench</c> measures loading (the bundled KB, or a synthetic one of N entities).
/// </summary>
public static class KnowledgeBaseCommand
{
    public static Command Create(TextWriter output, TextWriter errors) =>
        new("kb", "Build and measure the entity-linking knowledge base.") { Build(output, errors), Bench(output, errors) };

    static Command Build(TextWriter output, TextWriter errors)
    {
        var wikidata = new Option<FileInfo>("--wikidata") { Description = "A Wikidata JSON dump (latest-all.json or .json.gz), read as a stream.", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The KB directory to write (kb_wikidata.tsv and the binary index).", Required = true };
        var minSitelinks = new Option<int>("--min-sitelinks")
        {
            Description = "Skip items with fewer Wikipedia/sister-project links (0 keeps everything).",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("build", "Build a KB directory from a Wikidata JSON dump.") { wikidata, outDir, minSitelinks };
        command.SetAction((parse, cancellationToken) =>
        {
            var dump = parse.GetRequiredValue(wikidata);
            if (!dump.Exists)
            {
                errors.WriteLine($"error: {dump.FullName} does not exist.");
                return Task.FromResult(2);
            }

            var directory = parse.GetRequiredValue(outDir);
            directory.Create();
            var tsv = Path.Combine(directory.FullName, "kb_wikidata.tsv");
            var minimum = parse.GetValue(minSitelinks);
            var kept = 0L;
            var started = Stopwatch.GetTimestamp();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(context =>
            {
                var task = context.AddTask($"Reading {dump.Name}", maxValue: dump.Length);
                using var writer = new StreamWriter(tsv);
                var records = WikidataDumpReader.Read(dump.FullName, position => task.Value = position)
                    .Where(r => r.Popularity >= minimum)
                    .Select(r =>
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        kept++;
                        return r;
                    });
                TsvKnowledgeBaseReader.Write(writer, records);
                task.Value = dump.Length;
            });

            output.WriteLine($"{kept:N0} entities written to {tsv} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            var load = KnowledgeBaseLoader.Load(directory.FullName, directory.FullName);
            output.WriteLine($"alias index: {load.KnowledgeBase.AliasCount:N0} surface forms, cached at {load.CachePath}");
            output.WriteLine($"use it with EntityLinking__KnowledgeBasePath={directory.FullName} (service) or --kb {directory.FullName} (CLI)");
            return Task.FromResult(0);
        });
        return command;
    }

    static Command Bench(TextWriter output, TextWriter errors)
    {
        var kb = LinkerFactory.KnowledgeBaseOption();
        var synthetic = new Option<int>("--synthetic") { Description = "Generate and load a synthetic KB of this many entities instead (e.g. 1000000)." };
        var command = new Command("bench", "Measure KB load time and memory: from TSV (cold) and from the binary cache (warm).") { kb, synthetic };
        command.SetAction((parse, cancellationToken) =>
        {
            var count = parse.GetValue(synthetic);
            var path = parse.GetRequiredValue(kb);
            string? temporary = null;
            if (count > 0)
            {
                temporary = Directory.CreateTempSubdirectory("pipeline-kb-bench-").FullName;
                path = Path.Combine(temporary, "kb_synthetic.tsv");
                WriteSynthetic(path, count);
                output.WriteLine($"synthetic KB: {count:N0} entities, {new FileInfo(path).Length / 1e6:F0} MB TSV");
            }

            var cache = Directory.CreateTempSubdirectory("pipeline-kb-cache-").FullName;
            try
            {
                output.WriteLine("| load | entities | surface forms | seconds | managed heap MB | process RSS MB |");
                output.WriteLine("|---|---|---|---|---|---|");
                Measure(output, "TSV, building the index (cold)", () => KnowledgeBaseLoader.Load(path, cache));
                Measure(output, "binary cache (warm)", () => KnowledgeBaseLoader.Load(path, cache));
            }
            finally
            {
                Directory.Delete(cache, recursive: true);
                if (temporary is not null)
                {
                    Directory.Delete(temporary, recursive: true);
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    static void Measure(TextWriter output, string name, Func<KnowledgeBaseLoad> load)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var result = load();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
        using var process = Process.GetCurrentProcess();
        var rss = process.WorkingSet64 / 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.KnowledgeBase.Count:N0} | {result.KnowledgeBase.AliasCount:N0} | {result.Elapsed.TotalSeconds:F2} | {heap:F0} | {rss:F0} |"));
        GC.KeepAlive(result);
    }

    /// <summary>Entities shaped like the bundled KB: two-word names from a syllable grammar, a few aliases, a description, a type.</summary>
    static void WriteSynthetic(string path, int count)
    {
        string[] syllables = ["ka", "lo", "mi", "ren", "sa", "to", "vel", "dor", "an", "bri", "cu", "el", "fa", "gor", "hi", "jun", "ma", "nor", "pa", "qui", "ro", "sil", "ta", "ul", "vi", "wen", "xa", "yo", "zen"];
        string[] types = ["PER", "ORG", "LOC", "MISC"];
        var random = new Random(42);
        string Word() => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => syllables[random.Next(syllables.Length)])));
        using var writer = new StreamWriter(path);
        writer.Write("qid\tlabel\taliases\tdescription\tenwiki_title\tcoarse_type\tpopularity\n");
        for (var i = 0; i < count; i++)
        {
            var first = Word();
            var last = Word();
            var aliases = random.Next(4) switch
            {
                0 => "",
                1 => last,
                2 => $"{first[0]}. {last}",
                _ => $"{last}|{first} {Word()} {last}",
            };
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"Q{1_000_000 + i}\t{first} {last}\t{aliases}\tsynthetic entity {i} of the {Word().ToLowerInvariant()} kind\t\t{types[random.Next(types.Length)]}\t{random.Next(1, 2000)}\n"));
        }
    }
}
