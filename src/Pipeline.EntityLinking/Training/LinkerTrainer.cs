using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Training;

/// <summary>A training document: its source (file name), its gold links, and whether every entity in it is annotated.</summary>
public sealed record TrainingDocument(string Source, BenchmarkDocument Document, bool Exhaustive);

/// <summary>Fits the scorer of one pass to labelled rows; features in <c>excluded</c> must not be used.</summary>
public interface IPassFitter
{
    string Description { get; }

    PassModel Fit(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, ISet<int>? excluded);
}

/// <summary>An L2-regularised logistic regression per pass, on features standardised over the pass's rows.</summary>
public sealed class LogisticRegressionFitter(double l2) : IPassFitter
{
    public string Description => $"logistic regression, L2 {l2}";

    public PassModel Fit(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, ISet<int>? excluded)
    {
        var (means, scales) = LogisticRegression.Standardisation(rows, LinkFeatures.Count);
        var weights = LogisticRegression.Fit(rows, labels, means, scales, l2, excluded);
        return new PassModel { Weights = weights, Means = means, Scales = scales };
    }
}

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
    public LinkModel Train(IReadOnlyList<TrainingDocument> documents, float threshold, string description)
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
        var perFold = new PassModel[folds];
        for (var k = 0; k < folds; k++)
        {
            var rows = new List<float[]>();
            var labels = new List<bool>();
            for (var r = 0; r < firstRows.Count; r++)
            {
                if (firstFold[r] != k)
                {
                    rows.Add(firstRows[r]);
                    labels.Add(firstLabels[r]);
                }
            }

            perFold[k] = fitter.Fit(rows, labels, secondPassOnly);
            progress?.Report(new TrainingProgress("first pass, cross-fitted", k + 1, folds));
        }

        var secondRows = new List<float[]>();
        var secondLabels = new List<bool>();
        for (var d = 0; d < documents.Count; d++)
        {
            var foldModel = perFold[d % folds];
            var state = linker.Prepare(documents[d].Document.Text);
            linker.Disambiguator.FirstPass(state, foldModel.Probability);
            state.Evidence = linker.Disambiguator.Evidence(state);
            foreach (var (row, label) in Examples(documents[d], state))
            {
                secondRows.Add(row);
                secondLabels.Add(label);
            }

            progress?.Report(new TrainingProgress("second-pass features", d + 1, documents.Count));
        }

        var secondPass = fitter.Fit(secondRows, secondLabels, excluded: null);
        return new LinkModel
        {
            Features = LinkFeatures.Names,
            FirstPass = firstPass,
            SecondPass = secondPass,
            Threshold = threshold,
            Training = $"{description}; {firstRows.Count} first-pass and {secondRows.Count} second-pass examples ({firstLabels.Count(l => l)} positive), {fitter.Description}",
        };
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

    /// <summary>
    /// Scores held-out documents with a model at each threshold of a grid; returns the table (threshold, evaluation) so
    /// the caller can choose the threshold with the best micro F1.
    /// </summary>
    public List<(float Threshold, LinkingEvaluation Score, Dictionary<string, LinkingEvaluation> BySource)> Thresholds(LinkModel model, IReadOnlyList<TrainingDocument> heldOut, IReadOnlyList<float> grid)
    {
        var states = new List<(TrainingDocument Document, LinkingState State)>();
        foreach (var training in heldOut)
        {
            states.Add((training, linker.Analyze(training.Document.Text, model)));
            progress?.Report(new TrainingProgress("held-out documents", states.Count, heldOut.Count));
        }

        var table = new List<(float, LinkingEvaluation, Dictionary<string, LinkingEvaluation>)>();
        foreach (var threshold in grid)
        {
            var score = new LinkingEvaluation(linker.KnowledgeBase.Contains);
            var bySource = new Dictionary<string, LinkingEvaluation>(StringComparer.Ordinal);
            foreach (var (training, state) in states)
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

            table.Add((threshold, score, bySource));
        }

        return table;
    }
}
