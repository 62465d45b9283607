namespace Pipeline.ClaimTagging.Offline;

/// <summary>How one ensemble member is trained.</summary>
/// <param name="Hidden">0 = logistic regression, else the width of one hidden ReLU layer.</param>
/// <param name="WeightDecay">Decoupled L2 weight decay per step (AdamW).</param>
/// <param name="DenseOnly">Read only the dense features, not the hashed n-grams (keeps a hidden layer small and fast).</param>
public sealed record MemberSpec(int Hidden, double WeightDecay, int Epochs, double LearningRate, int Seed, bool DenseOnly = false);

/// <summary>Precision, recall and F1 of the positive (check-worthy) class.</summary>
public sealed record BinaryScores(int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static BinaryScores Of(IReadOnlyList<bool> gold, IReadOnlyList<bool> predicted)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            tp += gold[i] && predicted[i] ? 1 : 0;
            fp += !gold[i] && predicted[i] ? 1 : 0;
            fn += gold[i] && !predicted[i] ? 1 : 0;
        }

        return new BinaryScores(tp, fp, fn);
    }
}

/// <summary>
/// Mini-batch AdamW training of the ensemble members on precomputed features, k-fold out-of-fold probabilities,
/// and the F1-optimal threshold. Deterministic for a given seed; no dependency beyond the BCL.
/// </summary>
public static class CheckWorthinessTrainer
{
    const int BatchSize = 32;

    public static NetworkWeights Train(float[][] x, bool[] y, MemberSpec spec, int denseInputs)
    {
        if (spec.DenseOnly && denseInputs < x[0].Length)
        {
            x = [.. x.Select(row => row[..denseInputs])];
        }

        var inputs = x[0].Length;
        var random = new Random(spec.Seed);
        var hidden = spec.Hidden;
        var layer1 = new float[hidden * inputs];
        var bias1 = new float[hidden];
        var output = new float[hidden == 0 ? inputs : hidden];
        var scale = Math.Sqrt(2.0 / inputs);
        for (var i = 0; i < layer1.Length; i++)
        {
            layer1[i] = (float)(Gaussian(random) * scale);
        }

        if (hidden > 0)
        {
            for (var j = 0; j < hidden; j++)
            {
                output[j] = (float)(Gaussian(random) * Math.Sqrt(1.0 / hidden));
            }
        }

        var outputBias = 0f;
        var parameters = new[] { layer1, bias1, output };
        var m = parameters.Select(p => new float[p.Length]).ToArray();
        var v = parameters.Select(p => new float[p.Length]).ToArray();
        float mB = 0, vB = 0;
        var gradients = parameters.Select(p => new float[p.Length]).ToArray();
        var activations = new float[hidden];
        var order = Enumerable.Range(0, x.Length).ToArray();
        const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
        var step = 0;
        var totalSteps = spec.Epochs * ((x.Length + BatchSize - 1) / BatchSize);
        for (var epoch = 0; epoch < spec.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (var first = 0; first < order.Length; first += BatchSize)
            {
                foreach (var g in gradients)
                {
                    Array.Clear(g);
                }

                var gB = 0f;
                var count = Math.Min(BatchSize, order.Length - first);
                for (var k = 0; k < count; k++)
                {
                    var row = x[order[first + k]];
                    var target = y[order[first + k]] ? 1f : 0f;
                    if (hidden == 0)
                    {
                        var p = (float)NetworkWeights.Sigmoid(NetworkWeights.Dot(output, row) + outputBias);
                        var dz = (p - target) / count;
                        Axpy(dz, row, gradients[2]);
                        gB += dz;
                    }
                    else
                    {
                        var z = outputBias;
                        for (var j = 0; j < hidden; j++)
                        {
                            var a = NetworkWeights.Dot(layer1.AsSpan(j * inputs, inputs), row) + bias1[j];
                            activations[j] = a > 0 ? a : 0;
                            z += activations[j] * output[j];
                        }

                        var dz = ((float)NetworkWeights.Sigmoid(z) - target) / count;
                        gB += dz;
                        for (var j = 0; j < hidden; j++)
                        {
                            gradients[2][j] += dz * activations[j];
                            if (activations[j] > 0)
                            {
                                var da = dz * output[j];
                                gradients[1][j] += da;
                                Axpy(da, row, gradients[0].AsSpan(j * inputs, inputs));
                            }
                        }
                    }
                }

                step++;
                // Cosine decay of the learning rate to 5% over the run: steadier final weights than a constant rate.
                var rate = (float)(spec.LearningRate * (0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps))));
                var correction1 = 1 - MathF.Pow(beta1, step);
                var correction2 = 1 - MathF.Pow(beta2, step);
                for (var p = 0; p < parameters.Length; p++)
                {
                    var decay = p == 1 ? 0f : (float)spec.WeightDecay;
                    var w = parameters[p];
                    var g = gradients[p];
                    var mp = m[p];
                    var vp = v[p];
                    for (var i = 0; i < w.Length; i++)
                    {
                        mp[i] = beta1 * mp[i] + (1 - beta1) * g[i];
                        vp[i] = beta2 * vp[i] + (1 - beta2) * g[i] * g[i];
                        w[i] -= rate * (mp[i] / correction1 / (MathF.Sqrt(vp[i] / correction2) + epsilon) + decay * w[i]);
                    }
                }

                mB = beta1 * mB + (1 - beta1) * gB;
                vB = beta2 * vB + (1 - beta2) * gB * gB;
                outputBias -= rate * (mB / correction1 / (MathF.Sqrt(vB / correction2) + epsilon));
            }
        }

        return new NetworkWeights { Hidden = hidden, Inputs = inputs, Layer1 = Round(layer1), Bias1 = Round(bias1), Output = Round(output), OutputBias = outputBias };
    }

    /// <summary>Out-of-fold ensemble probabilities: each sentence scored by members trained without its fold.</summary>
    public static double[] OutOfFold(float[][] x, bool[] y, IReadOnlyList<MemberSpec> members, int denseInputs, int folds, int seed, Action? foldDone = null)
    {
        var fold = new int[x.Length];
        var shuffled = Enumerable.Range(0, x.Length).ToArray();
        new Random(seed).Shuffle(shuffled);
        for (var i = 0; i < shuffled.Length; i++)
        {
            fold[shuffled[i]] = i % folds;
        }

        var probabilities = new double[x.Length];
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, f =>
        {
            var trainIndex = Enumerable.Range(0, x.Length).Where(i => fold[i] != f).ToArray();
            var trained = members.Select(spec => Train([.. trainIndex.Select(i => x[i])], [.. trainIndex.Select(i => y[i])], spec, denseInputs)).ToList();
            for (var i = 0; i < x.Length; i++)
            {
                if (fold[i] == f)
                {
                    probabilities[i] = trained.Average(t => t.Probability(x[i]));
                }
            }

            foldDone?.Invoke();
        });
        return probabilities;
    }

    /// <summary>The threshold with the best F1 over the given probabilities (ties: the lower threshold).</summary>
    public static (double Threshold, BinaryScores Scores) BestThreshold(double[] probabilities, bool[] y)
    {
        var best = (Threshold: 0.5, Scores: BinaryScores.Of(y, [.. probabilities.Select(p => p >= 0.5)]));
        for (var t = 0.05; t < 0.951; t += 0.01)
        {
            var threshold = Math.Round(t, 2);
            var scores = BinaryScores.Of(y, [.. probabilities.Select(p => p >= threshold)]);
            if (scores.F1 > best.Scores.F1)
            {
                best = (threshold, scores);
            }
        }

        return best;
    }

    static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var va = new System.Numerics.Vector<float>(a);
        var i = 0;
        var width = System.Numerics.Vector<float>.Count;
        for (; i <= x.Length - width; i += width)
        {
            (new System.Numerics.Vector<float>(y[i..]) + va * new System.Numerics.Vector<float>(x[i..])).CopyTo(y[i..]);
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    static float[] Round(float[] values) => [.. values.Select(HalfPrecisionArrayConverter.Round)];

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
