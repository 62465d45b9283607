using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Training;

/// <summary>A training document: its source (file name), its gold links, and whether every entity in it is annotated.</summary>
public sealed record TrainingDocument(string Source, BenchmarkDocument Document, bool Exhaustive);

/// <summary>Fits the scorer of one pass to labelled rows; features in <c>excluded</c> must not be used.</summary>
public interface IPassFitter
{
    /// <summary>A short name ("logistic", "trees").</summary>
    string Name { get; }

    string Description { get; }

    PassModel Fit(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, ISet<int>? excluded);
}

/// <summary>An L2-regularised logistic regression per pass, on features standardised over the pass's rows.</summary>
public sealed class LogisticRegressionFitter(double l2) : IPassFitter
{
    public string Name => "logistic";

    public string Description => $"logistic regression, L2 {l2}";

    public PassModel Fit(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, ISet<int>? excluded)
    {
        var (means, scales) = LogisticRegression.Standardisation(rows, LinkFeatures.Count);
        var weights = LogisticRegression.Fit(rows, labels, means, scales, l2, excluded);
        return new PassModel { Weights = weights, Means = means, Scales = scales };
    }
}

/// <summary>The cross-validated scores of the training documents at one threshold, overall and by source.</summary>
public sealed record ThresholdScore(float Threshold, LinkingEvaluation Score, IReadOnlyDictionary<string, LinkingEvaluation> BySource);

/// <summary>A trained model and the cross-validated scores its threshold was chosen by.</summary>
public sealed record TrainingRun(LinkModel Model, IReadOnlyList<ThresholdScore> CrossValidated);

/// <summary>Progress of a training stage: what it is doing, how far it is.</summary>
public readonly record struct TrainingProgress(string Stage, int Done, int Total);

/// <summary>
/// Trains the ranker (<see cref="LinkModel"/>) on annotated documents. Every (span, candidate) pair the linker generates
/// is an example: positive when a gold label has the span and the entity, negative when a gold label has the span and
/// another entity (or NIL), or when the span overlaps a gold label without being it; pairs away from every label are
/// negatives only in exhaustively annotated documents (elsewhere nobody said whether they are entities). The first
/// pass is fitted on all of them; the second pass on features whose first-pass evidence comes from models that did not
/// see the document (k-fold cross-fitting), as it will at inference.
/// </summary>
public sealed class LinkerTrainer(EntityLinker linker, IPassFitter fitter, int folds = 5, IProgress<TrainingProgress>? progress = null)
{
    /// <summary>
    /// Trains on all documents, and scores the same pipeline by k-fold cross-validation: each fold's documents are linked
    /// by first- and second-pass scorers fitted without them, at every threshold of <paramref name="grid"/>. The model
    /// returned carries the threshold with the best cross-validated micro F1.
    /// </summary>
    public TrainingRun Train(IReadOnlyList<TrainingDocument> documents, IReadOnlyList<float> grid, string description)
    {
        var firstRows = new List<float[]>();
        var firstLabels = new List<bool>();
        var firstFold = new List<int>();
        for (var d = 0; d < documents.Count; d++)
        {
            var state = linker.Prepare(documents[d].Document.Text);
            foreach (var (row, label) in Examples(documents[d], state))
            {
                firstRows.Add(row);
                firstLabels.Add(label);
                firstFold.Add(d % folds);
            }

            progress?.Report(new TrainingProgress("first-pass features", d + 1, documents.Count));
        }

        var secondPassOnly = LinkFeatures.SecondPass.Select(name => Array.IndexOf(LinkFeatures.Names, name)).ToHashSet();
        var firstPass = fitter.Fit(firstRows, firstLabels, secondPassOnly);
        var firstPerFold = new PassModel[folds];
        for (var k = 0; k < folds; k++)
        {
            var (rows, labels) = WithoutFold(firstRows, firstLabels, firstFold, k);
            firstPerFold[k] = fitter.Fit(rows, labels, secondPassOnly);
            progress?.Report(new TrainingProgress("first pass, cross-fitted", k + 1, folds));
        }

        var secondRows = new List<float[]>();
        var secondLabels = new List<bool>();
        var secondFold = new List<int>();
        for (var d = 0; d < documents.Count; d++)
        {
            var state = linker.Prepare(documents[d].Document.Text);
            linker.Disambiguator.FirstPass(state, firstPerFold[d % folds].Probability);
            state.Evidence = linker.Disambiguator.Evidence(state);
            foreach (var (row, label) in Examples(documents[d], state))
            {
                secondRows.Add(row);
                secondLabels.Add(label);
                secondFold.Add(d % folds);
            }

            progress?.Report(new TrainingProgress("second-pass features", d + 1, documents.Count));
        }

        var secondPass = fitter.Fit(secondRows, secondLabels, excluded: null);

        // Cross-validation: fold k's documents linked by scorers that did not see them.
        var analysed = new (TrainingDocument Document, LinkingState State)[documents.Count];
        for (var k = 0; k < folds; k++)
        {
            var (rows, labels) = WithoutFold(secondRows, secondLabels, secondFold, k);
            var held = new LinkModel { Features = LinkFeatures.Names, FirstPass = firstPerFold[k], SecondPass = fitter.Fit(rows, labels, excluded: null), Threshold = 0.5f };
            for (var d = k; d < documents.Count; d += folds)
            {
                analysed[d] = (documents[d], linker.Analyze(documents[d].Document.Text, held));
            }

            progress?.Report(new TrainingProgress("cross-validation", k + 1, folds));
        }

        var table = Thresholds(analysed, grid);
        var best = table.MaxBy(t => t.Score.Overall.F1)!;
        var model = new LinkModel
        {
            Features = LinkFeatures.Names,
            FirstPass = firstPass,
            SecondPass = secondPass,
            Threshold = best.Threshold,
            Training = FormattableString.Invariant(
                $"{description}; {fitter.Description}; {firstRows.Count} first-pass and {secondRows.Count} second-pass examples ({firstLabels.Count(l => l)} positive); threshold {best.Threshold:F2} chosen by {folds}-fold cross-validation (micro F1 {best.Score.Overall.F1:F3})"),
        };
        return new TrainingRun(model, table);
    }

    static (List<float[]> Rows, List<bool> Labels) WithoutFold(List<float[]> rows, List<bool> labels, List<int> fold, int k)
    {
        var keptRows = new List<float[]>(rows.Count);
        var keptLabels = new List<bool>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            if (fold[r] != k)
            {
                keptRows.Add(rows[r]);
                keptLabels.Add(labels[r]);
            }
        }

        return (keptRows, keptLabels);
    }

    /// <summary>The labelled examples of one document's (span, candidate) pairs, features as the current state gives them.</summary>
    IEnumerable<(float[] Row, bool Label)> Examples(TrainingDocument training, LinkingState state)
    {
        var document = training.Document;
        var scorer = new LinkingEvaluation(_ => true);
        var labels = document.Labels.Where(l => !scorer.IsIgnored(l)).ToList();
        var ignored = document.Labels.Where(scorer.IsIgnored).Select(l => (l.Start, l.End)).ToHashSet();
        var tokens = state.Document.Tokens;
        foreach (var span in state.Spans)
        {
            var (start, end) = (tokens[span.FirstToken].Start, tokens[span.LastToken].End);
            if (start < document.EvaluationStart || end > document.EvaluationEnd || ignored.Contains((start, end)))
            {
                continue;
            }

            var exact = labels.Where(l => l.Start == start && l.End == end).ToList();
            var overlaps = labels.Any(l => l.Start < end && start < l.End);
            if (exact.Count == 0 && !overlaps && !training.Exhaustive)
            {
                continue;
            }

            for (var c = 0; c < span.Candidates.Count; c++)
            {
                var qid = linker.KnowledgeBase.Qids[span.Candidates[c].Entity];
                var row = new float[LinkFeatures.Count];
                linker.Disambiguator.Features(state, span, c, row);
                yield return (row, exact.Any(l => l.EntityId == qid));
            }
        }
    }

    /// <summary>Scores analysed documents at each threshold of a grid, overall and by source.</summary>
    List<ThresholdScore> Thresholds(IReadOnlyList<(TrainingDocument Document, LinkingState State)> analysed, IReadOnlyList<float> grid)
    {
        var table = new List<ThresholdScore>();
        foreach (var threshold in grid)
        {
            var score = new LinkingEvaluation(linker.KnowledgeBase.Contains);
            var bySource = new Dictionary<string, LinkingEvaluation>(StringComparer.Ordinal);
            foreach (var (training, state) in analysed)
            {
                var (payload, candidates) = linker.Payload(state, threshold);
                var mentions = payload.Mentions.Select((m, i) => new PredictedMention(m.Start, m.End, m.Qid, m.Type, candidates[i])).ToList();
                score.Add(training.Document, mentions);
                if (!bySource.TryGetValue(training.Source, out var source))
                {
                    bySource[training.Source] = source = new LinkingEvaluation(linker.KnowledgeBase.Contains);
                }

                source.Add(training.Document, mentions);
            }

            table.Add(new ThresholdScore(threshold, score, bySource));
        }

        return table;
    }
}
