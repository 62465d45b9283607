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
        ("ensemble(logreg+ngrams, 2 x mlp32)", false, NGramBuckets, [new MemberSpec(0, 1e-4, 30, 3e-3, 1), new MemberSpec(32, 1e-3, 20, 1e-3, 2, DenseOnly: true), new MemberSpec(32, 1e-3, 20, 1e-3, 3, DenseOnly: true)]),
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
        var noRefiner = new Option<bool>("--no-refiner") { Description = "Skip the second stage (snowflake-arctic-embed-xs for the uncertain sentences)." };
        claims.Options.Add(noRefiner);
        var noScreen = new Option<bool>("--no-screen") { Description = "Skip the screen (lexical cues and n-grams only) that settles sure sentences before any embedding." };
        claims.Options.Add(noScreen);
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
            var (chosenThreshold, outOfFold) = (best.Threshold, best.Scores);
            CheckWorthinessRefiner? refiner = null;
            var refinerRecord = new Dictionary<string, string>();
            if (!parse.GetValue(noRefiner))
            {
                var stage = await TrainRefinerAsync(sentences, labels, embeddings, best.Context, best.NGrams, best.Members, bestOutOfFold, best.Scores, k, output, errors);
                if (stage is { } chosen)
                {
                    (refiner, chosenThreshold, outOfFold, bestOutOfFold) = chosen;
                    refinerRecord["firstStageOutOfFoldF1"] = best.Scores.F1.ToString("F3", CultureInfo.InvariantCulture);
                    refinerRecord["refinerBand"] = FormattableString.Invariant($"[{refiner.Low:F2}, {refiner.High:F2})");
                }
            }

            CheckWorthinessScreen? screen = null;
            if (!parse.GetValue(noScreen) && !best.Context)
            {
                var screened = await TrainScreenAsync(sentences, labels, bestOutOfFold, outOfFold, k, output);
                if (screened is { } chosen)
                {
                    refinerRecord["unscreenedOutOfFoldF1"] = outOfFold.F1.ToString("F3", CultureInfo.InvariantCulture);
                    (screen, chosenThreshold, outOfFold, bestOutOfFold) = chosen;
                    refinerRecord["screen"] = FormattableString.Invariant($"not check-worthy below {screen.Below:F4}, check-worthy from {screen.Above:F2}");
                }
            }

            var model = new CheckWorthinessModel
            {
                Version = $"cw-{best.Name.Replace(' ', '-')}{(refiner is null ? "" : "+refiner")}{(screen is null ? "" : "+screen")}-{DateTime.UtcNow:yyyyMMdd}",
                EmbeddingModel = embedder.ModelId,
                UsesContext = best.Context,
                NGramBuckets = best.NGrams,
                Inputs = allFeatures[0].Length,
                Threshold = chosenThreshold,
                Members = members,
                Refiner = refiner,
                Screen = screen,
                Training = new()
                {
                    ["data"] = Path.GetFileName(trainFile),
                    ["sentences"] = sentences.Count.ToString(CultureInfo.InvariantCulture),
                    ["candidate"] = best.Name,
                    ["folds"] = k.ToString(CultureInfo.InvariantCulture),
                    ["outOfFoldF1"] = outOfFold.F1.ToString("F3", CultureInfo.InvariantCulture),
                    ["outOfFoldPrecision"] = outOfFold.Precision.ToString("F3", CultureInfo.InvariantCulture),
                    ["outOfFoldRecall"] = outOfFold.Recall.ToString("F3", CultureInfo.InvariantCulture),
                    ["threshold"] = "the out-of-fold F1 optimum",
                    ["command"] = "pipeline train claims",
                },
            };
            foreach (var (key, value) in refinerRecord)
            {
                model.Training[key] = value;
            }

            model.Save(target);
            // The tagger adds rules to the classifier (bylines and no-comment lines are never claims; cued reported
            // speech always is):
            // their effect on the same out-of-fold predictions, for the record.
            var withRules = BinaryScores.Of(labels, [.. sentences.Select((s, i) => !ClaimRules.IsByline(s.Text) && !ClaimRules.IsNoComment(s.Text) && (bestOutOfFold[i] >= chosenThreshold || ClaimRules.IsReportedClaim(s.Text)))]);
            await output.WriteLineAsync(FormattableString.Invariant($"with the tagger's rules: out-of-fold P {withRules.Precision:F3} R {withRules.Recall:F3} F1 {withRules.F1:F3}"));
            await output.WriteLineAsync(FormattableString.Invariant($"chose {best.Name}{(refiner is null ? "" : " + refiner")}: out-of-fold F1 {outOfFold.F1:F3} at threshold {chosenThreshold:F2}; wrote {target} ({new FileInfo(target).Length / 1024} KiB) in {started.Elapsed.TotalSeconds:F0} s."));
            await output.WriteLineAsync(FormattableString.Invariant($"claims-oof-f1: {outOfFold.F1:F3}"));
            return 0;
        });
        return new Command("train", "Train the offline models.") { claims, TrainNerCommand.Create(output, errors), TrainLinkerCommand.Create(output, errors) };
    }

    /// <summary>Screen candidates: cheap classifiers over the lexical cues and n-grams, no embedding.</summary>
    static readonly (string Name, MemberSpec[] Members)[] ScreenCandidates =
    [
        ("logreg+ngrams", [new MemberSpec(0, 1e-4, 30, 3e-3, 1)]),
        ("ensemble(logreg+ngrams, mlp32)", [new MemberSpec(0, 1e-4, 30, 3e-3, 1), new MemberSpec(32, 1e-3, 20, 1e-3, 2, DenseOnly: true)]),
    ];

    /// <summary>Screen probabilities from which a sentence may be settled as check-worthy (the first: never).</summary>
    static readonly double[] ScreenAboveCandidates = [2, 0.99, 0.97, 0.95, 0.9, 0.85, 0.8];

    /// <summary>Share of the check-worthy train sentences the screen may settle as not check-worthy (out of fold).</summary>
    const double ScreenMissedPositives = 0.01;

    /// <summary>How much out-of-fold F1 the screen may cost against scoring every sentence with the sentence models.</summary>
    const double ScreenMaxF1Loss = 0.003;

    /// <summary>
    /// The screen in front of the sentence models: each candidate cross-validated on the train file (same folds);
    /// sentences below the out-of-fold probability that keeps 99% of the check-worthy ones are settled as not
    /// check-worthy, and optionally those from a high probability as check-worthy; the candidate and upper limit that
    /// settle the most sentences while the combined out-of-fold F1 stays within <see cref="ScreenMaxF1Loss"/> of the
    /// unscreened one win. Null when none does.
    /// </summary>
    static async Task<(CheckWorthinessScreen Screen, double Threshold, BinaryScores Scores, double[] Combined)?> TrainScreenAsync(
        IReadOnlyList<LabelledSentence> sentences, bool[] labels, double[] unscreened, BinaryScores unscreenedScores, int folds, TextWriter output)
    {
        float[][] features = [.. sentences.Select(s => CheckWorthinessScreen.Features(s.Text, NGramBuckets))];
        var positives = labels.Count(l => l);
        await output.WriteLineAsync("| screen | not check-worthy below | check-worthy from | recall of check-worthy kept | share settled | out-of-fold P | R | F1 | threshold |");
        await output.WriteLineAsync("|---|---|---|---|---|---|---|---|---|");
        (string Name, MemberSpec[] Members, double Below, double Above, double Share, double Threshold, BinaryScores Scores, double[] Combined)? best = null;
        foreach (var (name, specs) in ScreenCandidates)
        {
            var oof = CheckWorthinessTrainer.OutOfFold(features, labels, specs, LexicalFeatures.Count, folds, seed: 42);
            var positiveScores = labels.Select((l, i) => (l, p: oof[i])).Where(x => x.l).Select(x => x.p).Order().ToArray();
            var below = positiveScores[(int)Math.Floor(ScreenMissedPositives * positives)];
            var kept = positiveScores.Count(p => p >= below) / (double)positives;
            foreach (var above in ScreenAboveCandidates)
            {
                var combined = oof.Select((p, i) => p < below || p >= above ? p : unscreened[i]).ToArray();
                var share = oof.Count(p => p < below || p >= above) / (double)oof.Length;
                var (threshold, scores) = CheckWorthinessTrainer.BestThreshold(combined, labels);
                await output.WriteLineAsync(FormattableString.Invariant(
                    $"| {name} | {below:F4} | {(above > 1 ? "never" : above.ToString("F2", CultureInfo.InvariantCulture))} | {kept:F3} | {share:P0} | {scores.Precision:F3} | {scores.Recall:F3} | {scores.F1:F3} | {threshold:F2} |"));
                if (scores.F1 >= unscreenedScores.F1 - ScreenMaxF1Loss && share > (best?.Share ?? 0))
                {
                    best = (name, specs, below, above, share, threshold, scores, combined);
                }
            }
        }

        if (best is not { } chosen)
        {
            await output.WriteLineAsync("no screen keeps the out-of-fold F1: none.");
            return null;
        }

        var members = chosen.Members.AsParallel().AsOrdered().Select(spec => CheckWorthinessTrainer.Train(features, labels, spec, LexicalFeatures.Count)).ToList();
        await output.WriteLineAsync(FormattableString.Invariant($"screen: {chosen.Name}, settles {chosen.Share:P0} of the train sentences out of fold."));
        var screen = new CheckWorthinessScreen { NGramBuckets = NGramBuckets, Members = members, Below = chosen.Below, Above = chosen.Above };
        return (screen, chosen.Threshold, chosen.Scores, chosen.Combined);
    }

    /// <summary>Bands of first-stage probability that the second stage may take over, widest first.</summary>
    static readonly (double Low, double High)[] RefinerBands = [(0.05, 0.95), (0.1, 0.9), (0.1, 0.7), (0.15, 0.6), (0.2, 0.55), (0.25, 0.5)];

    /// <summary>
    /// The second stage: the chosen candidate's members over the features with snowflake-arctic-embed-xs added,
    /// cross-validated like the first stage; then the narrowest band of first-stage probabilities whose out-of-fold
    /// F1 stays within 0.002 of refining every sentence (the second model costs as much as the first, so the fewer
    /// sentences it sees, the faster the tagger). Null when it does not beat the first stage alone.
    /// </summary>
    static async Task<(CheckWorthinessRefiner Refiner, double Threshold, BinaryScores Scores, double[] OutOfFold)?> TrainRefinerAsync(
        IReadOnlyList<LabelledSentence> sentences, bool[] labels, float[][] embeddings, bool context, int ngrams, MemberSpec[] specs,
        double[] firstStage, BinaryScores firstScores, int folds, TextWriter output, TextWriter errors)
    {
        using var refinerEmbedder = ClaimTaggers.CreateRefinerEmbedder();
        var second = ClaimsDataEmbedding.Embed(refinerEmbedder, [.. sentences.Select(s => s.Text)], "with " + refinerEmbedder.ModelId, errors);
        var features = ClaimsDataEmbedding.Features(sentences, embeddings, context, ngrams, second);
        var dense = SentenceFeatures.DenseDimensions(embeddings[0].Length, context, refinerEmbedder.Dimensions);
        var refined = CheckWorthinessTrainer.OutOfFold(features, labels, specs, dense, folds, seed: 42);
        var (_, alone) = CheckWorthinessTrainer.BestThreshold(refined, labels);
        await output.WriteLineAsync(FormattableString.Invariant($"second stage (+ {refinerEmbedder.ModelId}) on every sentence: out-of-fold P {alone.Precision:F3} R {alone.Recall:F3} F1 {alone.F1:F3}"));
        await output.WriteLineAsync("| band refined | share of sentences | out-of-fold P | R | F1 | threshold |");
        await output.WriteLineAsync("|---|---|---|---|---|---|");
        (double Low, double High, double Threshold, BinaryScores Scores, double[] Combined)? chosen = null;
        foreach (var (low, high) in RefinerBands)
        {
            var combined = firstStage.Select((p, i) => p >= low && p < high ? refined[i] : p).ToArray();
            var (threshold, scores) = CheckWorthinessTrainer.BestThreshold(combined, labels);
            var share = firstStage.Count(p => p >= low && p < high) / (double)firstStage.Length;
            await output.WriteLineAsync(FormattableString.Invariant($"| [{low:F2}, {high:F2}) | {share:P0} | {scores.Precision:F3} | {scores.Recall:F3} | {scores.F1:F3} | {threshold:F2} |"));
            if (scores.F1 >= alone.F1 - 0.002 && scores.F1 > firstScores.F1)
            {
                chosen = (low, high, threshold, scores, combined);
            }
        }

        if (chosen is not { } band)
        {
            await output.WriteLineAsync("the second stage does not beat the first alone: no refiner.");
            return null;
        }

        var members = specs.AsParallel().AsOrdered().Select(spec => CheckWorthinessTrainer.Train(features, labels, spec, dense)).ToList();
        var refiner = new CheckWorthinessRefiner { EmbeddingModel = refinerEmbedder.ModelId, Low = band.Low, High = band.High, Inputs = features[0].Length, Members = members };
        return (refiner, band.Threshold, band.Scores, band.Combined);
    }
}
