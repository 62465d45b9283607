using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Embeddings;
using Pipeline.Processes;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline train claims</c>: trains the offline check-worthiness classifier and writes its weights file.</summary>
public static class TrainCommand
{
    /// <summary>
    /// The candidates compared by 5-fold cross-validation on the train file; the best out-of-fold F1 wins. The dev
    /// file plays no part in the choice (it is much easier than train, so choices tuned on it are optimistic).
    /// </summary>
    static readonly (string Name, bool Context, int NGrams, MemberSpec[] Members)[] Candidates =
    [
        ("logreg", false, 0, [new MemberSpec(0, 1e-4, 30, 3e-3, 1)]),
        ("logreg+context", true, 0, [new MemberSpec(0, 1e-4, 30, 3e-3, 1)]),
        ("mlp32+context", true, 0, [new MemberSpec(32, 1e-3, 20, 1e-3, 1)]),
        ("ensemble(logreg, 2 x mlp32)+context", true, 0, [new MemberSpec(0, 1e-4, 30, 3e-3, 1), new MemberSpec(32, 1e-3, 20, 1e-3, 2), new MemberSpec(32, 1e-3, 20, 1e-3, 3)]),
        ("logreg+context+ngrams", true, NGramBuckets, [new MemberSpec(0, 1e-4, 30, 3e-3, 1)]),
        ("ensemble(logreg+ngrams, 2 x mlp32)+context", true, NGramBuckets, [new MemberSpec(0, 1e-4, 30, 3e-3, 1), new MemberSpec(32, 1e-3, 20, 1e-3, 2, DenseOnly: true), new MemberSpec(32, 1e-3, 20, 1e-3, 3, DenseOnly: true)]),
    ];

    const int NGramBuckets = 4096;

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var claims = new Command("claims", "Train the offline check-worthiness classifier on the CheckThat! train file.");
        var data = new Option<FileInfo?>("--train") { Description = "The labelled TSV (default: ../shared/data/claims/CT24_checkworthy_english_train.tsv)." };
        var outputPath = new Option<FileInfo?>("--output") { Description = "Where to write the weights (default: src/Pipeline.ClaimTagging/Offline/checkworthiness-model.json)." };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds.", DefaultValueFactory = _ => 5 };
        var only = new Option<string?>("--candidate") { Description = "Train only this candidate (by name) instead of comparing all." };
        claims.Options.Add(data);
        claims.Options.Add(outputPath);
        claims.Options.Add(folds);
        claims.Options.Add(only);
        claims.SetAction(async (parse, cancellationToken) =>
        {
            var trainFile = parse.GetValue(data)?.FullName ?? Path.Combine(RepositoryLayout.SharedData, "claims", "CT24_checkworthy_english_train.tsv");
            if (!File.Exists(trainFile))
            {
                await errors.WriteLineAsync($"error: {trainFile} does not exist (the shared data folder is expected next to the checkout).");
                return 2;
            }

            var k = parse.GetValue(folds);
            if (k < 2)
            {
                await errors.WriteLineAsync("error: --folds must be at least 2.");
                return 2;
            }

            var candidates = Candidates.Where(c => parse.GetValue(only) is not { } name || c.Name == name).ToArray();
            if (candidates.Length == 0)
            {
                await errors.WriteLineAsync($"error: no candidate named '{parse.GetValue(only)}'; candidates: {string.Join(", ", Candidates.Select(c => c.Name))}.");
                return 2;
            }

            var target = parse.GetValue(outputPath)?.FullName ?? Path.Combine(RepositoryLayout.RepositoryRoot, "src", "Pipeline.ClaimTagging", "Offline", "checkworthiness-model.json");
            var started = Stopwatch.StartNew();
            var sentences = CheckWorthyDataset.Read(trainFile);
            var labels = sentences.Select(s => s.IsCheckWorthy).ToArray();
            await output.WriteLineAsync($"{Path.GetFileName(trainFile)}: {sentences.Count} sentences, {labels.Count(l => l)} check-worthy.");
            using var embedder = ClaimTaggers.CreateEmbedder();
            var embeddings = ClaimsDataEmbedding.Embed(embedder, [.. sentences.Select(s => s.Text)], Path.GetFileName(trainFile), errors);

            var best = (Name: "", Context: false, NGrams: 0, Members: Array.Empty<MemberSpec>(), Threshold: 0.5, Scores: new BinaryScores(0, 0, 0));
            var bestOutOfFold = Array.Empty<double>();
            await output.WriteLineAsync($"| candidate | out-of-fold P | R | F1 | threshold |");
            await output.WriteLineAsync($"|---|---|---|---|---|");
            foreach (var candidate in candidates)
            {
                var features = ClaimsDataEmbedding.Features(sentences, embeddings, candidate.Context, candidate.NGrams);
                var dense = SentenceFeatures.DenseDimensions(embedder.Dimensions, candidate.Context);
                var oof = CheckWorthinessTrainer.OutOfFold(features, labels, candidate.Members, dense, k, seed: 42);
                var (threshold, scores) = CheckWorthinessTrainer.BestThreshold(oof, labels);
                await output.WriteLineAsync(FormattableString.Invariant($"| {candidate.Name} | {scores.Precision:F3} | {scores.Recall:F3} | {scores.F1:F3} | {threshold:F2} |"));
                if (scores.F1 > best.Scores.F1)
                {
                    best = (candidate.Name, candidate.Context, candidate.NGrams, candidate.Members, threshold, scores);
                    bestOutOfFold = oof;
                }
            }

            var allFeatures = ClaimsDataEmbedding.Features(sentences, embeddings, best.Context, best.NGrams);
            var denseInputs = SentenceFeatures.DenseDimensions(embedder.Dimensions, best.Context);
            var members = best.Members.AsParallel().AsOrdered().Select(spec => CheckWorthinessTrainer.Train(allFeatures, labels, spec, denseInputs)).ToList();
            var model = new CheckWorthinessModel
            {
                Version = $"cw-{best.Name.Replace(' ', '-')}-{DateTime.UtcNow:yyyyMMdd}",
                EmbeddingModel = embedder.ModelId,
                UsesContext = best.Context,
                NGramBuckets = best.NGrams,
                Inputs = allFeatures[0].Length,
                Threshold = best.Threshold,
                Members = members,
                Training = new()
                {
                    ["data"] = Path.GetFileName(trainFile),
                    ["sentences"] = sentences.Count.ToString(CultureInfo.InvariantCulture),
                    ["candidate"] = best.Name,
                    ["folds"] = k.ToString(CultureInfo.InvariantCulture),
                    ["outOfFoldF1"] = best.Scores.F1.ToString("F3", CultureInfo.InvariantCulture),
                    ["outOfFoldPrecision"] = best.Scores.Precision.ToString("F3", CultureInfo.InvariantCulture),
                    ["outOfFoldRecall"] = best.Scores.Recall.ToString("F3", CultureInfo.InvariantCulture),
                    ["threshold"] = "the out-of-fold F1 optimum",
                    ["command"] = "pipeline train claims",
                },
            };
            model.Save(target);
            // The tagger adds two rules to the classifier (bylines are never claims; cued reported speech always is):
            // their effect on the same out-of-fold predictions, for the record.
            var withRules = BinaryScores.Of(labels, [.. sentences.Select((s, i) => !ClaimRules.IsByline(s.Text) && (bestOutOfFold[i] >= best.Threshold || ClaimRules.IsReportedClaim(s.Text)))]);
            await output.WriteLineAsync(FormattableString.Invariant($"with the tagger's rules: out-of-fold P {withRules.Precision:F3} R {withRules.Recall:F3} F1 {withRules.F1:F3}"));
            await output.WriteLineAsync(FormattableString.Invariant($"chose {best.Name}: out-of-fold F1 {best.Scores.F1:F3} at threshold {best.Threshold:F2}; wrote {target} ({new FileInfo(target).Length / 1024} KiB) in {started.Elapsed.TotalSeconds:F0} s."));
            await output.WriteLineAsync(FormattableString.Invariant($"claims-oof-f1: {best.Scores.F1:F3}"));
            return 0;
        });
        return new Command("train", "Train the offline models.") { claims };
    }
}
