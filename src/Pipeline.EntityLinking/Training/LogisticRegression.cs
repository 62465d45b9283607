namespace Pipeline.EntityLinking.Training;

/// <summary>
/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares) on standardised
/// features. With a few dozen features the Hessian is small, so every step is exact and the fit is deterministic: the
/// same rows in the same order give the same weights, bit for bit.
/// </summary>
public static class LogisticRegression
{
    /// <summary>The per-feature mean and scale that standardise the rows; feature 0 is the intercept and is left as it is.</summary>
    public static (float[] Means, float[] Scales) Standardisation(IReadOnlyList<float[]> rows, int features)
    {
        var means = new double[features];
        var squares = new double[features];
        foreach (var row in rows)
        {
            for (var j = 1; j < features; j++)
            {
                means[j] += row[j];
                squares[j] += (double)row[j] * row[j];
            }
        }

        var meanOut = new float[features];
        var scaleOut = new float[features];
        scaleOut[0] = 1;
        for (var j = 1; j < features; j++)
        {
            var mean = means[j] / Math.Max(1, rows.Count);
            var variance = (squares[j] / Math.Max(1, rows.Count)) - (mean * mean);
            meanOut[j] = (float)mean;
            scaleOut[j] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }

        return (meanOut, scaleOut);
    }

    /// <summary>
    /// Fits weights for standardised rows (<paramref name="means"/>, <paramref name="scales"/>), with penalty
    /// <paramref name="l2"/> on every weight but the intercept. Features listed in <paramref name="excluded"/> keep weight 0.
    /// </summary>
    public static float[] Fit(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, float[] means, float[] scales, double l2, ISet<int>? excluded = null, int iterations = 25)
    {
        var n = means.Length;
        var active = Enumerable.Range(0, n).Where(j => excluded is null || !excluded.Contains(j)).ToArray();
        var d = active.Length;
        var w = new double[d];
        var x = new double[d];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[d];
            var hessian = new double[d, d];
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var z = 0.0;
                for (var k = 0; k < d; k++)
                {
                    var j = active[k];
                    x[k] = (row[j] - means[j]) / scales[j];
                    z += w[k] * x[k];
                }

                var p = 1 / (1 + Math.Exp(-z));
                var residual = p - (labels[r] ? 1 : 0);
                var weight = Math.Max(p * (1 - p), 1e-9);
                for (var a = 0; a < d; a++)
                {
                    gradient[a] += residual * x[a];
                    var wa = weight * x[a];
                    for (var b = 0; b <= a; b++)
                    {
                        hessian[a, b] += wa * x[b];
                    }
                }
            }

            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b < a; b++)
                {
                    hessian[b, a] = hessian[a, b];
                }

                if (active[a] != 0)
                {
                    gradient[a] += l2 * w[a];
                    hessian[a, a] += l2;
                }
                else
                {
                    hessian[a, a] += 1e-6;
                }
            }

            var step = Solve(hessian, gradient);
            var change = 0.0;
            for (var k = 0; k < d; k++)
            {
                w[k] -= step[k];
                change = Math.Max(change, Math.Abs(step[k]));
            }

            if (change < 1e-6)
            {
                break;
            }
        }

        var weights = new float[n];
        for (var k = 0; k < d; k++)
        {
            weights[active[k]] = (float)w[k];
        }

        return weights;
    }

    /// <summary>Solves H x = g for a symmetric positive definite H by Cholesky decomposition.</summary>
    static double[] Solve(double[,] h, double[] g)
    {
        var n = g.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = h[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j, j];
            }
        }

        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = g[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }

    public static float Probability(float[] weights, float[] means, float[] scales, ReadOnlySpan<float> row)
    {
        var z = 0.0;
        for (var j = 0; j < weights.Length; j++)
        {
            z += weights[j] * ((row[j] - means[j]) / scales[j]);
        }

        return (float)(1 / (1 + Math.Exp(-z)));
    }
}
