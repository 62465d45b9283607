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
/// reuters-128, rss-500, oke-2015-eval, oke-2016-eval), chooses the scorer and the link threshold by cross-validation over them, and
/// writes the weights into the source tree (or --output).
/// </summary>
public static class TrainLinkerCommand
{
    /// <summary>The training files in ../shared/data/el. The test files are never read here.</summary>
    public static readonly string[] TrainingFiles = ["oke-2015-train", "oke-2016-train", "msnbc-updated", "derczynski", "spotlight"];

    public static readonly string[] TestFiles = ["reuters-128", "rss-500", "oke-2015-eval", "oke-2016-eval"];

    const int Folds = 5;

    /// <summary>
    /// The GUM splits the linker trains on: all three. The tagger never trains on test, so its test score stands; on the
    /// train split the tagger is in-sample (its names are better there than anywhere), on dev and test it is not.
    /// </summary>
    static readonly string[] GumSplits = ["train", "dev", "test"];

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
        var ranker = new Option<string>("--ranker") { Description = "trees (boosted trees), logistic (logistic regression), or best (train both, keep the better by cross-validation).", DefaultValueFactory = _ => "best" };
        ranker.AcceptOnlyFromAmong("best", "trees", "logistic");
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var command = new Command("linker", "Train the entity linker's ranker on the training benchmarks and GUM; scorer and threshold chosen by cross-validation.")
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
            output.WriteLine($"training documents: {documents.Count} ({string.Join(", ", documents.GroupBy(d => d.Source).Select(g => $"{g.Key} {g.Count()}"))}); scorer and threshold chosen by {Folds}-fold cross-validation");

            var grid = Enumerable.Range(1, 45).Select(i => i * 0.02f).ToArray();
            var runs = new List<(IPassFitter Fitter, TrainingRun Run)>();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn()).Start(context =>
            {
                foreach (var fitter in Fitters(parse.GetRequiredValue(ranker)))
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var progress = new InlineProgress(p =>
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                        {
                            tasks[p.Stage] = task = context.AddTask($"{p.Stage} ({fitter.Name})", maxValue: p.Total);
                        }

                        task.Value = p.Done;
                    });
                    var trainer = new LinkerTrainer(linker, fitter, Folds, progress);
                    runs.Add((fitter, trainer.Train(documents, grid, $"pipeline train linker on {string.Join(", ", documents.Select(d => d.Source).Distinct())}")));
                }
            });

            output.WriteLine();
            output.WriteLine("| ranker | cross-validated P | R | F1 | in-KB P | in-KB R | threshold |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (fitter, run) in runs)
            {
                var top = run.CrossValidated.MaxBy(t => t.Score.Overall.F1)!;
                output.WriteLine(FormattableString.Invariant($"| {fitter.Description} | {top.Score.Overall.Precision:F3} | {top.Score.Overall.Recall:F3} | {top.Score.Overall.F1:F3} | {top.Score.InKnowledgeBase.Precision:F3} | {top.Score.InKnowledgeBase.Recall:F3} | {top.Threshold:F2} |"));
            }

            var (chosenFitter, chosen) = runs.MaxBy(r => r.Run.CrossValidated.Max(t => t.Score.Overall.F1));
            var model = chosen.Model;
            output.WriteLine();
            output.WriteLine($"the chosen ranker ({chosenFitter.Description}), cross-validated, by threshold:");
            output.WriteLine("| threshold | P | R | F1 | in-KB P | in-KB R |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var row in chosen.CrossValidated.Where((_, i) => i % 2 == 1))
            {
                output.WriteLine(FormattableString.Invariant($"| {row.Threshold:F2} | {row.Score.Overall.Precision:F3} | {row.Score.Overall.Recall:F3} | {row.Score.Overall.F1:F3} | {row.Score.InKnowledgeBase.Precision:F3} | {row.Score.InKnowledgeBase.Recall:F3} |"));
            }

            var best = chosen.CrossValidated.First(t => t.Threshold == model.Threshold);
            output.WriteLine();
            output.WriteLine(FormattableString.Invariant($"cross-validated by source at threshold {model.Threshold:F2}:"));
            output.WriteLine("| source | documents | required links | P | R | F1 | in-KB P | in-KB R |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (source, score) in best.BySource)
            {
                output.WriteLine(FormattableString.Invariant($"| {source} | {score.Documents} | {score.Overall.Gold} | {score.Overall.Precision:F3} | {score.Overall.Recall:F3} | {score.Overall.F1:F3} | {score.InKnowledgeBase.Precision:F3} | {score.InKnowledgeBase.Recall:F3} |"));
            }

            var target = parse.GetValue(outputPath)?.FullName ?? Path.Combine(RepositoryLayout.RepositoryRoot, "src", "Pipeline.EntityLinking", "Linking", "Data", "linker-model.json");
            using (var stream = File.Create(target))
            {
                model.Save(stream);
            }

            output.WriteLine(FormattableString.Invariant($"chose {chosenFitter.Name} at threshold {model.Threshold:F2} (cross-validated F1 {best.Score.Overall.F1:F3}); wrote {target} ({new FileInfo(target).Length / 1024} KiB) in {started.Elapsed.TotalSeconds:F0} s"));
            output.WriteLine(FormattableString.Invariant($"linker-cv-f1: {best.Score.Overall.F1:F3}"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The rankers compared by cross-validation on the training documents.</summary>
    static IEnumerable<IPassFitter> Fitters(string ranker)
    {
        if (ranker is "best" or "logistic")
        {
            yield return new LogisticRegressionFitter(l2: 1.0);
        }

        if (ranker is "best" or "trees")
        {
            yield return new BoostedTreesFitter(trees: 100, leaves: 8, minimumExamplesPerLeaf: 20, learningRate: 0.1);
            yield return new BoostedTreesFitter(trees: 200, leaves: 16, minimumExamplesPerLeaf: 20, learningRate: 0.1);
            yield return new BoostedTreesFitter(trees: 400, leaves: 16, minimumExamplesPerLeaf: 50, learningRate: 0.05);
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and report late).</summary>
    sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
