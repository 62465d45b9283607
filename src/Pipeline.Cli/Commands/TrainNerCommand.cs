using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline train ner</c>: trains the named-entity tagger on the GUM train split, scores every candidate setting
/// after every epoch on the dev split, keeps the best (<see cref="Criterion"/>) and writes its weights.
/// </summary>
public static class TrainNerCommand
{
    /// <summary>
    /// The settings compared on dev, each for up to <see cref="MaxEpochs"/> epochs (the epoch is chosen too). Training
    /// is deterministic, so the weights after epoch k of a longer run are the weights of a k-epoch run.
    /// </summary>
    static readonly (string Name, NerTrainingOptions Options)[] Candidates =
    [
        ("core", new() { Features = NerFeatureSet.Core }),
        ("no KB", new() { Features = WithoutKnowledgeBase }),
        ("all", new() { Features = NerFeatureSet.All }),
        ("all, min count 2", new() { Features = NerFeatureSet.All, MinFeatureCount = 2 }),
    ];

    const NerFeatureSet WithoutKnowledgeBase = NerFeatureSet.All & ~(NerFeatureSet.Gazetteer | NerFeatureSet.KnowledgeBaseWords);

    /// <summary>
    /// Penalties on O tried for every epoch: the averaged perceptron leaves too many names out (GUM capitalises many
    /// words that are not names), and lowering O trades a little precision for more recall.
    /// </summary>
    static readonly float[] OutsidePenalties = [0, 10, 20, 30];

    const int MaxEpochs = 12;

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var data = GumData.DataOption();
        var outputPath = new Option<FileInfo?>("--output") { Description = "Where to write the weights (default: src/Pipeline.EntityLinking/Mentions/ner-model.bin)." };
        var only = new Option<string?>("--candidate") { Description = "Train only this candidate (by name) instead of comparing all." };
        var epochs = new Option<int>("--epochs") { Description = "The most epochs tried per candidate.", DefaultValueFactory = _ => MaxEpochs };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var ner = new Command("ner", "Train the named-entity tagger (mention detection) on GUM; dev chooses the setting and the epochs.")
        {
            data, outputPath, only, epochs, kb, cache,
        };
        ner.SetAction((parse, cancellationToken) =>
        {
            if (GumData.Directory(parse, data, errors) is not { } directory)
            {
                return Task.FromResult(2);
            }

            var candidates = Candidates.Where(c => parse.GetValue(only) is not { } name || c.Name == name).ToArray();
            if (candidates.Length == 0)
            {
                errors.WriteLine($"error: no candidate named '{parse.GetValue(only)}'; candidates: {string.Join(", ", Candidates.Select(c => c.Name))}.");
                return Task.FromResult(2);
            }

            var maxEpochs = parse.GetValue(epochs);
            if (maxEpochs < 1)
            {
                errors.WriteLine("error: --epochs must be at least 1.");
                return Task.FromResult(2);
            }

            if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(cache), errors) is not { } load)
            {
                return Task.FromResult(2);
            }

            var target = parse.GetValue(outputPath)?.FullName ?? Path.Combine(RepositoryLayout.RepositoryRoot, "src", "Pipeline.EntityLinking", "Mentions", "ner-model.bin");
            var started = Stopwatch.StartNew();
            var splits = GumCorpus.SplitNames.ToDictionary(s => s, s => GumCorpus.ReadSplit(directory, s));
            PrintCounts(output, splits);
            var train = splits["train"].Select(NerExample.FromGum).ToList();
            var dev = splits["dev"].Select(NerExample.FromGum).ToList();
            var gazetteer = load.KnowledgeBase;

            var rows = new List<string>();
            (string Name, int Epoch, NerEvaluation Dev, NerTagger Tagger)? best = null;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("Training on GUM train", maxValue: candidates.Length * maxEpochs);
                    foreach (var (name, options) in candidates)
                    {
                        NerTrainer.Train(train, options with { Epochs = maxEpochs }, gazetteer, (epoch, tagger) =>
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            foreach (var penalty in OutsidePenalties)
                            {
                                var penalised = tagger.WithOutsidePenalty(penalty);
                                var scores = NerEvaluation.Of(penalised, dev, gazetteer);
                                rows.Add(FormattableString.Invariant(
                                    $"| {name} | {epoch} | {penalty} | {tagger.FeatureCount:N0} | {scores.Untyped.Precision:F3} | {scores.Untyped.Recall:F3} | {scores.Untyped.F1:F3} | {scores.Typed.Precision:F3} | {scores.Typed.Recall:F3} | {scores.Typed.F1:F3} |"));
                                if (best is null || Criterion(scores) > Criterion(best.Value.Dev))
                                {
                                    best = ($"{name}, {epoch} epochs, O penalty {penalty}", epoch, scores, penalised);
                                }
                            }

                            task.Increment(1);
                        });
                    }
                });

            output.WriteLine();
            output.WriteLine("Dev split (exact spans):");
            output.WriteLine();
            output.WriteLine("| candidate | epoch | O penalty | features | untyped P | R | F1 | typed P | R | F1 |");
            output.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var row in rows)
            {
                output.WriteLine(row);
            }

            var (bestName, _, bestDev, bestTagger) = best!.Value;
            var calibrated = NerTrainer.Calibrate(bestTagger, dev, gazetteer);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using (var file = File.Create(target))
            {
                calibrated.Write(file);
            }

            output.WriteLine();
            output.WriteLine(FormattableString.Invariant(
                $"chose {bestName}: dev untyped F1 {bestDev.Untyped.F1:F3}, typed F1 {bestDev.Typed.F1:F3}; wrote {target} ({new FileInfo(target).Length / 1024} KiB, {calibrated.FeatureCount:N0} features) in {started.Elapsed.TotalSeconds:F0} s."));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ner-dev-f1: {bestDev.Untyped.F1:F3}"));
            return Task.FromResult(0);
        });
        return ner;
    }

    /// <summary>
    /// What dev chooses by: the mean of untyped and typed span F1. The span decides what the linker looks up, the type
    /// which candidates it prefers; on dev alone the untyped F1 of settings within a point of each other is noise
    /// (12 documents), while the KB features add several points of typed F1.
    /// </summary>
    static double Criterion(NerEvaluation scores) => (scores.Untyped.F1 + scores.Typed.F1) / 2;

    static void PrintCounts(TextWriter output, Dictionary<string, IReadOnlyList<GumDocument>> splits)
    {
        EntityType[] types = [EntityType.Per, EntityType.Org, EntityType.Loc, EntityType.Misc];
        output.WriteLine("Named mentions in GUM (flat, as tagged):");
        output.WriteLine();
        output.WriteLine("| split | documents | PER | ORG | LOC | MISC | all |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (split, documents) in splits)
        {
            var mentions = documents.SelectMany(d => d.NamedMentions).ToList();
            output.WriteLine($"| {split} | {documents.Count} | {string.Join(" | ", types.Select(t => mentions.Count(m => m.Type == t)))} | {mentions.Count} |");
        }

        output.WriteLine();
    }
}
