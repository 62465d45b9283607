using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>The settings of one training run (<c>pipeline train ner</c> compares several on the GUM dev split).</summary>
public sealed record NerTrainingOptions
{
    /// <summary>Passes over the training lines.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Features seen fewer times in training get no weights (rare words are covered by their shape and affixes).</summary>
    public int MinFeatureCount { get; init; } = 1;

    public NerFeatureSet Features { get; init; } = NerFeatureSet.All;

    /// <summary>Seeds the order the lines are visited in, per epoch: the same data and seed give the same bytes.</summary>
    public ulong Seed { get; init; } = 20240130;

    public override string ToString() =>
        FormattableString.Invariant($"{Features}, min count {MinFeatureCount}, {Epochs} epochs");
}

/// <summary>
/// Trains the tagger: a structured perceptron over BILOU labels with first-order transitions, decoded by Viterbi under
/// the BILOU constraints, averaged (the weights are the mean over every update step, which generalises far better
/// than the last ones). One line of text (a paragraph or a heading: the unit the tagger decodes) is one update; lines
/// are visited in a seeded shuffle, so training is deterministic. Single-threaded on purpose: the same inputs give the same weight bytes.
/// </summary>
public static class NerTrainer
{
    const int Labels = NerLabels.Count;
    const int Start = Labels; // the transition row of the start of a line

    /// <param name="afterEpoch">Called after each epoch with the averaged weights so far, to score the epochs on dev.</param>
    public static NerTagger Train(IReadOnlyList<NerExample> examples, NerTrainingOptions options, EntityKnowledgeBase? gazetteer, Action<int, NerTagger>? afterEpoch = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        var knowledgeBaseWords = (options.Features & NerFeatureSet.KnowledgeBaseWords) != 0 && gazetteer is not null ? KnowledgeBaseWords.Build(gazetteer) : KnowledgeBaseWords.Empty;
        var features = examples.Select(e =>
        {
            var ids = new ulong[e.Tokens.Count * NerFeatures.PerToken];
            NerFeatures.Extract(e.Text, e.Tokens, gazetteer, knowledgeBaseWords, options.Features, ids);
            return ids;
        }).ToList();
        var gold = examples.Select(e =>
        {
            var labels = new int[e.Tokens.Count];
            NerLabels.Encode(e.Gold, labels);
            return labels;
        }).ToList();

        var (featureIds, rows) = Index(features, options.MinFeatureCount);
        var lines = examples.SelectMany((e, d) => NerLines.Of(e.Text, e.Tokens).Select(s => (Document: d, s.First, s.Last))).ToArray();
        var state = new PerceptronState(featureIds.Count);
        var random = new SplitMix64(options.Seed);
        var maxLength = lines.Length == 0 ? 0 : lines.Max(s => s.Last - s.First + 1);
        var emissions = new float[maxLength * Labels];
        var predicted = new int[maxLength];
        NerTagger? snapshot = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(lines);
            foreach (var (document, first, last) in lines)
            {
                var length = last - first + 1;
                var lineRows = rows[document].AsSpan(first * NerFeatures.PerToken, length * NerFeatures.PerToken);
                state.Emissions(lineRows, length, emissions);
                NerDecoder.Decode(emissions, length, state.Transitions, predicted);
                state.Update(lineRows, gold[document].AsSpan(first, length), predicted.AsSpan(0, length));
            }

            snapshot = null;
            if (afterEpoch is not null || epoch == options.Epochs)
            {
                snapshot = new NerTagger(state.Averaged(featureIds, options.Features), knowledgeBaseWords);
                afterEpoch?.Invoke(epoch, snapshot);
            }
        }

        return snapshot!;
    }

    /// <summary>
    /// Fits the confidence of a span, a logistic function of log(1 + its margin), to whether it is right on the
    /// examples (the dev split): Newton steps with step halving on a two-parameter logistic regression, deterministic.
    /// </summary>
    public static NerTagger Calibrate(NerTagger tagger, IReadOnlyList<NerExample> examples, EntityKnowledgeBase? gazetteer)
    {
        var points = new List<(double X, bool Right)>();
        foreach (var example in examples)
        {
            var gold = example.Gold.Select(g => (g.First, g.Last)).ToHashSet();
            foreach (var span in tagger.TagWithMargins(example.Text, example.Tokens, gazetteer))
            {
                points.Add((NerModel.MarginFeature(span.Margin), gold.Contains((span.First, span.Last))));
            }
        }

        var right = points.Count(p => p.Right);
        if (points.Count < 10 || right == 0 || right == points.Count)
        {
            return tagger;
        }

        double a = 0, b = Math.Log(right / (double)(points.Count - right));
        var loss = Loss(a, b);
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            foreach (var (x, isRight) in points)
            {
                var p = 1 / (1 + Math.Exp(-((a * x) + b)));
                var error = p - (isRight ? 1 : 0);
                var weight = p * (1 - p);
                ga += error * x;
                gb += error;
                haa += weight * x * x;
                hab += weight * x;
                hbb += weight;
            }

            var determinant = (haa * hbb) - (hab * hab);
            var da = ((hbb * ga) - (hab * gb)) / determinant;
            var db = ((haa * gb) - (hab * ga)) / determinant;
            var step = 1.0;
            while (step > 1e-6 && Loss(a - (step * da), b - (step * db)) > loss)
            {
                step /= 2;
            }

            a -= step * da;
            b -= step * db;
            loss = Loss(a, b);
        }

        return tagger.WithCalibration((float)a, (float)b);

        double Loss(double slope, double intercept) => points.Sum(p =>
        {
            var z = (slope * p.X) + intercept;
            return p.Right ? Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
        });
    }

    /// <summary>
    /// Row numbers for the feature ids seen at least <paramref name="minCount"/> times, in order of first appearance
    /// (deterministic), and each document's features as rows (-1: no row).
    /// </summary>
    static (List<ulong> Ids, List<int[]> Rows) Index(List<ulong[]> features, int minCount)
    {
        var counts = new Dictionary<ulong, int>();
        foreach (var document in features)
        {
            foreach (var id in document)
            {
                if (id != 0)
                {
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
            }
        }

        var ids = new List<ulong>();
        var rowOf = new Dictionary<ulong, int>();
        var rows = new List<int[]>(features.Count);
        foreach (var document in features)
        {
            var documentRows = new int[document.Length];
            for (var i = 0; i < document.Length; i++)
            {
                var id = document[i];
                if (id == 0 || counts[id] < minCount)
                {
                    documentRows[i] = -1;
                    continue;
                }

                if (!rowOf.TryGetValue(id, out var row))
                {
                    row = ids.Count;
                    rowOf[id] = row;
                    ids.Add(id);
                }

                documentRows[i] = row;
            }

            rows.Add(documentRows);
        }

        return (ids, rows);
    }

    /// <summary>
    /// The perceptron's weights and, for the average, the sum of each update times the step it was made at: the
    /// average over all steps is then w - sum / steps (so averaging costs nothing per step).
    /// </summary>
    sealed class PerceptronState(int features)
    {
        readonly float[] _weights = new float[features * Labels];
        readonly double[] _timedWeights = new double[features * Labels];
        readonly double[] _timedTransitions = new double[(Labels + 1) * Labels];
        long _step = 1;

        public float[] Transitions { get; } = new float[(Labels + 1) * Labels];

        public void Emissions(ReadOnlySpan<int> rows, int n, Span<float> scores)
        {
            scores[..(n * Labels)].Clear();
            for (var t = 0; t < n; t++)
            {
                var score = scores.Slice(t * Labels, Labels);
                foreach (var row in rows.Slice(t * NerFeatures.PerToken, NerFeatures.PerToken))
                {
                    if (row < 0)
                    {
                        continue;
                    }

                    var weights = _weights.AsSpan(row * Labels, Labels);
                    for (var y = 0; y < Labels; y++)
                    {
                        score[y] += weights[y];
                    }
                }
            }
        }

        public void Update(ReadOnlySpan<int> rows, ReadOnlySpan<int> gold, ReadOnlySpan<int> predicted)
        {
            for (var t = 0; t < gold.Length; t++)
            {
                if (gold[t] != predicted[t])
                {
                    foreach (var row in rows.Slice(t * NerFeatures.PerToken, NerFeatures.PerToken))
                    {
                        if (row >= 0)
                        {
                            Add(_weights, _timedWeights, (row * Labels) + gold[t], 1);
                            Add(_weights, _timedWeights, (row * Labels) + predicted[t], -1);
                        }
                    }
                }

                var goldFrom = t == 0 ? Start : gold[t - 1];
                var predictedFrom = t == 0 ? Start : predicted[t - 1];
                if (goldFrom != predictedFrom || gold[t] != predicted[t])
                {
                    Add(Transitions, _timedTransitions, (goldFrom * Labels) + gold[t], 1);
                    Add(Transitions, _timedTransitions, (predictedFrom * Labels) + predicted[t], -1);
                }
            }

            _step++;
        }

        void Add(float[] weights, double[] timed, int at, int delta)
        {
            weights[at] += delta;
            timed[at] += (double)_step * delta;
        }

        public NerModel Averaged(List<ulong> ids, NerFeatureSet featureSet)
        {
            var averaged = new float[_weights.Length];
            for (var i = 0; i < averaged.Length; i++)
            {
                averaged[i] = (float)(_weights[i] - (_timedWeights[i] / _step));
            }

            var transitions = new float[Transitions.Length];
            for (var i = 0; i < transitions.Length; i++)
            {
                transitions[i] = (float)(Transitions[i] - (_timedTransitions[i] / _step));
            }

            return NerModel.Create(featureSet, ids, averaged, transitions, 1, 0);
        }
    }

    /// <summary>A tiny seeded generator (SplitMix64): unlike System.Random, its sequence is fixed by its definition.</summary>
    struct SplitMix64(ulong seed)
    {
        ulong _state = seed;

        ulong Next()
        {
            _state += 0x9E3779B97F4A7C15UL;
            return FeatureHash.Mix(_state);
        }

        public void Shuffle<T>(T[] items)
        {
            for (var i = items.Length - 1; i > 0; i--)
            {
                var j = (int)(Next() % (ulong)(i + 1));
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
