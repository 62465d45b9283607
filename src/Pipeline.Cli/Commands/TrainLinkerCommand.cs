using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.Linking;
using Pipeline.EntityLinking.Training;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline train linker</c>: trains the entity linker's ranker on the training benchmarks (never on the test files
/// reuters-128, rss-500, oke-2015-eval, oke-2016-eval), chooses the link threshold on a held-out fifth of them, and
/// writes the weights into the source tree (or --output).
/// </summary>
public static class TrainLinkerCommand
{
    /// <summary>The training files in ../shared/data/el. The test files are never read here.</summary>
    public static readonly string[] TrainingFiles = ["oke-2015-train", "oke-2016-train", "msnbc-updated", "derczynski", "spotlight"];

    public static readonly string[] TestFiles = ["reuters-128", "rss-500", "oke-2015-eval", "oke-2016-eval"];

    /// <summary>The GUM splits the linker trains on; GUM's test split stays the tagger's test.</summary>
    static readonly string[] GumSplits = ["train", "dev"];

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var train = new Option<FileInfo[]>("--train")
        {
            Description = "Benchmark files to train on (default: the five training files in ../shared/data/el).",
            AllowMultipleArgumentsPerToken = true,
        };
        var outputPath = new Option<FileInfo?>("--output") { Description = "Where to write the weights (default: src/Pipeline.EntityLinking/Linking/Data/linker-model.json)." };
        var gum = new Option<string>("--gum")
        {
            Description = "The GUM folder whose train and dev documents (named mentions with Wikipedia links) are trained on too; 'none' leaves them out.",
            DefaultValueFactory = _ => Path.Combine(RepositoryLayout.SharedData, "ner", "gum"),
        };
        var ranker = new Option<string>("--ranker") { Description = "trees (boosted trees), logistic (logistic regression), or best (train both, keep the better on the held-out documents).", DefaultValueFactory = _ => "best" };
        ranker.AcceptOnlyFromAmong("best", "trees", "logistic");
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var command = new Command("linker", "Train the entity linker's ranker on the training benchmarks; the threshold is chosen on a held-out fifth.")
        {
            train, gum, outputPath, ranker, kb, cache,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var files = parse.GetValue(train) is { Length: > 0 } given
                ? given
                : [.. TrainingFiles.Select(f => new FileInfo(Path.Combine(RepositoryLayout.SharedData, "el", f + ".benchmark.jsonl")))];
            foreach (var missing in files.Where(f => !f.Exists))
            {
                errors.WriteLine($"error: {missing.FullName} does not exist.");
                return Task.FromResult(2);
            }

            if (files.FirstOrDefault(f => TestFiles.Any(t => f.Name.StartsWith(t + ".", StringComparison.Ordinal))) is { } test)
            {
                errors.WriteLine($"error: {test.Name} is a test file; the linker is never trained or tuned on it.");
                return Task.FromResult(2);
            }

            List<TrainingDocument> documents;
            try
            {
                documents = [.. files.SelectMany(f => BenchmarkDocument.Read(f.FullName).Select(d => new TrainingDocument(f.Name, d, Exhaustive: false)))];
            }
            catch (InvalidDataException e)
            {
                errors.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }

            if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(cache), errors) is not { } load)
            {
                return Task.FromResult(2);
            }

            var gumDirectory = parse.GetRequiredValue(gum);
            if (gumDirectory != "none")
            {
                if (!File.Exists(Path.Combine(gumDirectory, "splits.md")))
                {
                    errors.WriteLine($"error: {gumDirectory} has no splits.md (pass --gum DIR, or --gum none).");
                    return Task.FromResult(2);
                }

                var titles = GumLinkingDocuments.QidsByTitle(parse.GetRequiredValue(kb));
                documents.AddRange(GumSplits.SelectMany(split => GumLinkingDocuments.Read(gumDirectory, split, titles)));
            }

            var started = Stopwatch.StartNew();
            var linker = new EntityLinker(load.KnowledgeBase, new LinkerSettings(), model: null, KnowledgeBaseEntityLinker.Tagger(load.KnowledgeBase));
            // Every fifth document of each source is held out to choose the threshold; the final model sees them all.
            var heldOut = documents.Where((d, i) => documents.Take(i).Count(o => o.Source == d.Source) % 5 == 4).ToList();
            var trainPart = documents.Except(heldOut).ToList();
            output.WriteLine($"training documents: {documents.Count} ({string.Join(", ", documents.GroupBy(d => d.Source).Select(g => $"{g.Key} {g.Count()}"))}); held out for the threshold: {heldOut.Count}");

            var grid = Enumerable.Range(1, 45).Select(i => i * 0.02f).ToArray();
            List<(float Threshold, LinkingEvaluation Score, Dictionary<string, LinkingEvaluation> BySource)> table = [];
            LinkModel? model = null;
            var results = new List<(IPassFitter Fitter, List<(float Threshold, LinkingEvaluation Score, Dictionary<string, LinkingEvaluation> BySource)> Scores)>();
            (IPassFitter Fitter, float Threshold, double F1)? best = null;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn()).Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new InlineProgress(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                    {
                        tasks[p.Stage] = task = context.AddTask(p.Stage, maxValue: p.Total);
                    }

                    task.Value = p.Done;
                });
                foreach (var fitter in Fitters(parse.GetRequiredValue(ranker)))
                {
                    var trainer = new LinkerTrainer(linker, fitter, progress: progress);
                    var chooser = trainer.Train(trainPart, 0.5f, "threshold choice");
                    var scores = trainer.Thresholds(chooser, heldOut, grid);
                    var threshold = scores.MaxBy(t => t.Score.Overall.F1).Threshold;
                    results.Add((fitter, scores));
                    if (best is null || scores.Max(t => t.Score.Overall.F1) > best.Value.F1)
                    {
                        best = (fitter, threshold, scores.Max(t => t.Score.Overall.F1));
                    }
                }

                var chosen = best!.Value;
                table = results.First(r => r.Fitter == chosen.Fitter).Scores;
                model = new LinkerTrainer(linker, chosen.Fitter, progress: progress).Train(
                    documents, chosen.Threshold, $"pipeline train linker on {string.Join(", ", files.Select(f => f.Name))}; {chosen.Fitter.Description}; threshold {chosen.Threshold.ToString("F2", CultureInfo.InvariantCulture)} chosen on {heldOut.Count} held-out documents");
            });

            output.WriteLine();
            output.WriteLine("| ranker | best held-out F1 | at threshold |");
            output.WriteLine("|---|---:|---:|");
            foreach (var (fitter, scores) in results)
            {
                var top = scores.MaxBy(t => t.Score.Overall.F1);
                output.WriteLine(FormattableString.Invariant($"| {fitter.Description} | {top.Score.Overall.F1:F3} | {top.Threshold:F2} |"));
            }

            output.WriteLine();
            output.WriteLine($"the chosen ranker ({best!.Value.Fitter.Description}) on the held-out documents:");
            output.WriteLine("| threshold | held-out P | R | F1 | in-KB P | in-KB R |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var (threshold, score, _) in table)
            {
                output.WriteLine(FormattableString.Invariant($"| {threshold:F2} | {score.Overall.Precision:F3} | {score.Overall.Recall:F3} | {score.Overall.F1:F3} | {score.InKnowledgeBase.Precision:F3} | {score.InKnowledgeBase.Recall:F3} |"));
            }

            output.WriteLine();
            output.WriteLine(FormattableString.Invariant($"held-out documents by source at threshold {best.Value.Threshold:F2}:"));
            output.WriteLine("| source | documents | required links | P | R | F1 | in-KB P | in-KB R |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (source, score) in table.First(t => t.Threshold == best.Value.Threshold).BySource)
            {
                output.WriteLine(FormattableString.Invariant($"| {source} | {score.Documents} | {score.Overall.Gold} | {score.Overall.Precision:F3} | {score.Overall.Recall:F3} | {score.Overall.F1:F3} | {score.InKnowledgeBase.Precision:F3} | {score.InKnowledgeBase.Recall:F3} |"));
            }

            var target = parse.GetValue(outputPath)?.FullName ?? Path.Combine(RepositoryLayout.RepositoryRoot, "src", "Pipeline.EntityLinking", "Linking", "Data", "linker-model.json");
            using (var stream = File.Create(target))
            {
                model!.Save(stream);
            }

            output.WriteLine(FormattableString.Invariant($"chose threshold {model!.Threshold:F2} (held-out F1 {best.Value.F1:F3}); wrote {target} ({new FileInfo(target).Length / 1024} KiB) in {started.Elapsed.TotalSeconds:F0} s"));
            output.WriteLine(FormattableString.Invariant($"linker-heldout-f1: {best.Value.F1:F3}"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The rankers compared: their settings were chosen on the held-out documents of the training files.</summary>
    static IEnumerable<IPassFitter> Fitters(string ranker)
    {
        if (ranker is "best" or "logistic")
        {
            yield return new LogisticRegressionFitter(l2: 1.0);
        }

        if (ranker is "best" or "trees")
        {
            yield return new BoostedTreesFitter(trees: 200, leaves: 16, minimumExamplesPerLeaf: 20, learningRate: 0.1);
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and report late).</summary>
    sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
